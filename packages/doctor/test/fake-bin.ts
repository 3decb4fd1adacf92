import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { Context } from "../src/check.js";

/** What the real tools print for their version probes. */
export const STUBS = {
  "redis-server": `echo "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0"`,
  "redis-sentinel": `echo "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0"`,
  nginx: `echo "nginx version: nginx/1.22.1" >&2`,
  openssl: `echo "OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.15 3 Sep 2024)"`,
  // at the context's `chromium` path, which is in the fake PATH as /usr/bin is in a real one
  chromium: `echo "Chromium 120.0.6099.224 built on Debian GNU/Linux 12 (bookworm)"`,
  wrk: `echo "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"; echo "Usage: wrk <options> <url>"; exit 1`,
  k6: `echo "k6 v0.52.0 (go1.22.4, linux/amd64)"`,
  ferretdb: `printf 'version: v1.24.2\\ncommit: unknown\\nbranch: unknown\\n'`,
  go: `echo "go version go1.22.5 linux/amd64"`,
  gunicorn: `echo "gunicorn (version 21.2.0)"`,
  // answers doctor's module probe; the tour's `python3 -c "import flask"` only needs the exit status
  python3: `case "$2" in *flask*) printf 'flask=3.0.3\\ngevent=24.2.1\\n' ;; esac`,
} as const;

/** A python3 that cannot import flask: exits 1, as `import flask` would. */
export const PYTHON_WITHOUT_FLASK = `echo "ModuleNotFoundError: No module named 'flask'" >&2; exit 1`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder to use as the whole PATH, holding only the stubs a test puts in it. */
export function fakeBin() {
  const root = mkdtempSync(join(tmpdir(), "zto-doctor-"));
  dirs.push(root);
  const bin = join(root, "bin");
  mkdirSync(bin);
  const put = (dir: string, name: string, body: string, shebang = "#!/bin/sh") => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, `${shebang}\n${body}\n`);
    chmodSync(file, 0o755);
    return file;
  };
  return {
    root,
    bin,
    /** Puts a stub on the fake PATH (the real tool's output by default). */
    add: (name: keyof typeof STUBS | (string & {}), body?: string, shebang?: string) =>
      put(bin, name, body ?? STUBS[name as keyof typeof STUBS], shebang),
    /** Puts a stub in a folder of its own, off the fake PATH. */
    addOff: (dir: string, name: string, body: string) => put(join(root, dir), name, body),
    /**
     * A context that sees only the fake PATH; the tour's absolute python is a path under `root`, the
     * browser test's absolute chromium is `bin/chromium`.
     */
    context: (env: NodeJS.ProcessEnv = {}, overrides: Partial<Context> = {}): Context => ({
      env: { PATH: bin, HOME: root, ...env },
      pythons: ["python3", join(root, "usr-bin", "python3")],
      chromium: join(bin, "chromium"),
      elsewhere: [],
      nodeVersion: "v20.20.2",
      nodeRange: ">=20.19",
      ...overrides,
    }),
  };
}
