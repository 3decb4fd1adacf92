import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Check } from "../src/check.js";
import { satisfies } from "../src/checks/node.js";
import { diagnose, exitCode } from "../src/doctor.js";
import { PYTHON_WITHOUT_FLASK, STUBS, fakeBin } from "./fake-bin.js";

const debian = { os: "debian", name: "Debian GNU/Linux 12 (bookworm)" } as const;
const byName = (checks: Check[], name: string) => {
  const check = checks.find((c) => c.name === name);
  if (!check) throw new Error(`no ${name} row`);
  return check;
};

describe("doctor on a PATH of stubs", () => {
  it("with nothing on PATH: every optional tool missing, with a way to install it, and exit 0", async () => {
    const bin = fakeBin();
    const report = await diagnose(bin.context(), debian);
    expect(byName(report.checks, "Node.js")).toMatchObject({ found: true, version: "v20.20.2" });
    for (const check of report.checks.filter((c) => c.name !== "Node.js")) {
      expect(check.found, check.name).toBe(false);
      expect(check.version, check.name).toBeUndefined();
      expect(check.install.length, check.name).toBeGreaterThan(0);
    }
    expect(exitCode(report)).toBe(0);
  });

  it("finds each installed tool with the version it prints", async () => {
    const bin = fakeBin();
    for (const name of Object.keys(STUBS)) bin.add(name);
    const report = await diagnose(bin.context(), debian);
    const found = Object.fromEntries(report.checks.map((c) => [c.name, c.found && c.version]));
    expect(found).toEqual({
      "Node.js": "v20.20.2",
      "redis-server": "7.0.15",
      "redis-sentinel": "7.0.15",
      nginx: "1.22.1",
      openssl: "3.0.15",
      Chromium: "120.0.6099.224",
      wrk: "4.1.0",
      k6: "v0.52.0",
      "MongoDB wire": "v1.24.2",
      Flask: "3.0.3",
      gunicorn: "21.2.0",
      gevent: "24.2.1",
      Go: "1.22.5",
    });
    expect(byName(report.checks, "redis-server").source).toBe(`${bin.bin}/redis-server`);
  });

  it("finds Flask in the tour's absolute python when python3 on PATH cannot import it", async () => {
    const bin = fakeBin();
    bin.add("python3", PYTHON_WITHOUT_FLASK);
    const fallback = bin.addOff("usr-bin", "python3", STUBS.python3);
    const flask = byName((await diagnose(bin.context(), debian)).checks, "Flask");
    expect(flask).toMatchObject({ found: true, version: "3.0.3", source: fallback });
  });

  it("does not count gunicorn without Flask: the tour would not run it", async () => {
    const bin = fakeBin();
    bin.add("gunicorn");
    bin.add("python3", PYTHON_WITHOUT_FLASK);
    const { checks } = await diagnose(bin.context(), debian);
    expect(byName(checks, "Flask").found).toBe(false);
    expect(byName(checks, "gunicorn")).toMatchObject({ found: false, version: "21.2.0" });
    expect(byName(checks, "gunicorn").notes).toContain("the tour runs gunicorn only when it finds Flask");
  });

  it("does not count a gunicorn whose own python cannot import flask", async () => {
    const bin = fakeBin();
    bin.add("python3");
    // a gunicorn installed for another python: `#!/usr/bin/env python3.11`, which has no Flask
    bin.add(
      "python3.11",
      `if [ "$1" = "-c" ]; then printf 'flask=-\\ngevent=-\\n'; else ${STUBS.gunicorn}; fi`,
    );
    bin.add("gunicorn", "", "#!/usr/bin/env python3.11");
    const { checks } = await diagnose(bin.context(), debian);
    expect(byName(checks, "Flask").found).toBe(true);
    const gunicorn = byName(checks, "gunicorn");
    expect(gunicorn).toMatchObject({ found: false, version: "21.2.0" });
    expect(gunicorn.notes.join("\n")).toContain(`${bin.bin}/python3.11, which cannot import flask`);
  });

  it("does not count FerretDB 2, which has no SQLite handler", async () => {
    const bin = fakeBin();
    bin.add("ferretdb", `echo "version: v2.1.0"`);
    const mongo = byName((await diagnose(bin.context(), debian)).checks, "MongoDB wire");
    expect(mongo).toMatchObject({ found: false, version: "v2.1.0" });
    expect(mongo.notes.join("\n")).toContain("no SQLite handler");
    expect(mongo.fingerprint).toEqual({ ferretdb: "v2.1.0", mongo_url: "unset" });
  });

  it("counts an openssl new enough for npm run cert: OpenSSL 1.1.1+, LibreSSL 3.2.1+ (macOS 13+)", async () => {
    const opensslPrinting = async (line: string) => {
      const bin = fakeBin();
      bin.add("openssl", `echo "${line}"`);
      return byName((await diagnose(bin.context(), debian)).checks, "openssl");
    };
    const macos = await opensslPrinting("LibreSSL 3.3.6");
    expect(macos).toMatchObject({ found: true, version: "3.3.6" });
    expect(macos.notes).toEqual(["LibreSSL (macOS's own) makes the certificate as OpenSSL does"]);
    expect(await opensslPrinting("OpenSSL 1.1.1w  11 Sep 2023")).toMatchObject({
      found: true,
      version: "1.1.1w",
    });

    const oldMacos = await opensslPrinting("LibreSSL 2.8.3");
    expect(oldMacos).toMatchObject({ found: false, version: "2.8.3" });
    expect(oldMacos.notes).toEqual([
      "LibreSSL 2.8.3 is too old for npm run cert (openssl req -addext): it needs 3.2.1+",
    ]);
    expect(oldMacos.fingerprint).toEqual({ openssl: "2.8.3" });
    expect(await opensslPrinting("OpenSSL 1.0.2k-fips  26 Jan 2017")).toMatchObject({ found: false });
  });

  it("does not count an openssl that fails to run", async () => {
    const bin = fakeBin();
    const openssl = bin.add(
      "openssl",
      `echo "openssl: error while loading shared libraries: libssl.so.3" >&2; exit 127`,
    );
    const check = byName((await diagnose(bin.context(), debian)).checks, "openssl");
    expect(check).toMatchObject({ found: false, source: openssl });
    expect(check.notes).toEqual([
      `${openssl} version failed: openssl: error while loading shared libraries: libssl.so.3`,
    ]);
  });

  it("counts Chromium only at the browser test's path, as a program that runs", async () => {
    const bin = fakeBin();
    const context = bin.context({ PATH: `${bin.bin}:${bin.root}/snap` });
    const snap = bin.addOff("snap", "chromium", STUBS.chromium);
    const elsewhere = byName((await diagnose(context, debian)).checks, "Chromium");
    expect(elsewhere).toMatchObject({
      found: false,
      notes: [`chromium is at ${snap}, but the browser test looks only for ${context.chromium}`],
    });
    expect(elsewhere.source).toBeUndefined();

    writeFileSync(context.chromium, "#!/bin/sh\necho unreachable\n", { mode: 0o644 });
    expect(byName((await diagnose(context, debian)).checks, "Chromium").found).toBe(false);

    bin.add("chromium", `echo "cannot open display" >&2; exit 1`);
    const broken = byName((await diagnose(context, debian)).checks, "Chromium");
    expect(broken).toMatchObject({ found: false, source: context.chromium });
    expect(broken.notes).toEqual([`${context.chromium} --version failed: cannot open display`]);
    expect(broken.fingerprint).toEqual({ chromium: "-" });

    bin.add("chromium");
    const works = byName((await diagnose(context, debian)).checks, "Chromium");
    expect(works).toMatchObject({
      found: true,
      version: "120.0.6099.224",
      source: context.chromium,
      notes: [],
    });
    expect(works.fingerprint).toEqual({ chromium: "120.0.6099.224" });
  });

  it("takes MONGO_URL first, and shows it without its password", async () => {
    const bin = fakeBin();
    bin.add("ferretdb");
    const url = "mongodb://alice:s3cret@db.example:27017/todo?authSource=admin";
    const mongo = byName((await diagnose(bin.context({ MONGO_URL: url }), debian)).checks, "MongoDB wire");
    expect(mongo).toMatchObject({ found: true, source: "MONGO_URL" });
    const shown = mongo.notes.join("\n");
    expect(shown).toContain("mongodb://alice:***@db.example:27017/todo?authSource=admin");
    expect(shown).toContain("MONGO_URL comes first");
    expect(JSON.stringify(mongo)).not.toContain("s3cret");
  });

  it("counts REDIS_URL without redis-server, and says what still needs redis-server", async () => {
    const bin = fakeBin();
    const redis = byName(
      (await diagnose(bin.context({ REDIS_URL: "redis://:hunter2@cache:6379" }), debian)).checks,
      "redis-server",
    );
    expect(redis).toMatchObject({ found: true, source: "REDIS_URL" });
    expect(redis.notes).toEqual([
      "REDIS_URL is set: the tests use redis://:***@cache:6379",
      "stages 07–09's restart tests still need redis-server: they start their own",
    ]);
    expect(redis.fingerprint).toEqual({ "redis-server": "-", redis_url: "set" });
  });

  it("names a tool installed in a folder that is not on PATH, and how to add it", async () => {
    const bin = fakeBin();
    const nginx = bin.addOff("sbin", "nginx", STUBS.nginx);
    const context = bin.context({}, { elsewhere: [`${bin.root}/sbin`] });
    const check = byName((await diagnose(context, debian)).checks, "nginx");
    expect(check.found).toBe(false);
    expect(check.notes).toEqual([
      `nginx is at ${nginx}, but ${bin.root}/sbin is not on PATH: export PATH="$PATH:${bin.root}/sbin"`,
    ]);
  });

  it("fails only when Node.js is older than package.json's engines", async () => {
    const bin = fakeBin();
    const old = await diagnose(bin.context({}, { nodeVersion: "v20.18.3" }), debian);
    expect(byName(old.checks, "Node.js").found).toBe(false);
    expect(byName(old.checks, "Node.js").notes[0]).toContain("v20.18.3 is too old");
    expect(exitCode(old)).toBe(1);
    expect(exitCode(await diagnose(bin.context({}, { nodeVersion: "v20.19.0" }), debian))).toBe(0);
  });

  it("says a Go too old to build FerretDB is too old", async () => {
    const bin = fakeBin();
    bin.add("go", `echo "go version go1.19.8 linux/amd64"`);
    const go = byName((await diagnose(bin.context(), debian)).checks, "Go");
    expect(go).toMatchObject({ found: false, version: "1.19.8" });
    expect(go.notes[0]).toContain("needs 1.21+");
  });
});

describe("satisfies", () => {
  it("compares a Node version with a >= range", () => {
    expect(satisfies("v20.19.0", ">=20.19")).toBe(true);
    expect(satisfies("v20.20.2", ">=20.19")).toBe(true);
    expect(satisfies("v22.0.0", ">=20.19")).toBe(true);
    expect(satisfies("v20.18.9", ">=20.19")).toBe(false);
    expect(satisfies("v18.20.4", ">=20.19")).toBe(false);
    expect(() => satisfies("v20.19.0", "^20.19")).toThrow(/>=X.Y/);
  });
});
