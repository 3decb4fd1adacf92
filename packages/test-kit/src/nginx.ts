import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stopChild } from "./stop-child.js";

export interface TestNginx {
  url: string;
  /** Everything nginx printed (its error log goes to stderr). */
  output: () => string;
  /** Stops nginx (fast shutdown) and removes its temporary prefix. */
  stop: () => Promise<void>;
}

export type NginxOrReason =
  { nginx: TestNginx; skipped?: undefined } | { nginx?: undefined; skipped: string };

/**
 * Runs a real nginx in the foreground with `config` (a whole nginx.conf) in a temporary prefix of
 * its own: relative paths in the config (pid, temp folders, logs) land there, never in /etc or
 * /var. The config must listen on `port`; it waits until nginx answers there. Without the nginx
 * binary it gives one line saying why, so the test can be skipped rather than passed.
 */
export async function startNginx({
  config,
  port,
  timeoutMs = 10_000,
}: {
  config: string;
  port: number;
  timeoutMs?: number;
}): Promise<NginxOrReason> {
  if (spawnSync("nginx", ["-v"]).error) {
    return { skipped: "nginx is not installed (apt-get install nginx-light)" };
  }
  const prefix = mkdtempSync(join(tmpdir(), "zto-nginx-"));
  // nginx's workers drop root for an unprivileged user, which must reach the temp folders
  chmodSync(prefix, 0o755);
  const file = join(prefix, "nginx.conf");
  writeFileSync(file, config);
  const globals = [
    /^\s*daemon\s/m.test(config) ? "" : "daemon off;",
    /^\s*pid\s/m.test(config) ? "" : `pid ${join(prefix, "nginx.pid")};`,
  ].join(" ");
  const args = ["-p", `${prefix}/`, "-c", file, "-e", "stderr", ...(globals.trim() ? ["-g", globals] : [])];

  let log = "";
  const child: ChildProcess = spawn("nginx", args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(child, "exit");

  const stop = () => stopChild(child, exited, prefix);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`nginx exited with ${child.exitCode} before answering:\n${log}`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      break; // any answer, even a 404 or 502, means nginx is listening
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer on ${url} within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { nginx: { url, output: () => log, stop } };
}
