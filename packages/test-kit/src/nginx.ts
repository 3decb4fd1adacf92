import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endWithTests } from "./end-with-tests.js";
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

/** Why nginx cannot run here (one line), or undefined when it can. */
export function nginxProblem(): string | undefined {
  return spawnSync("nginx", ["-v"]).error
    ? "nginx is not installed (apt-get install nginx-light)"
    : undefined;
}

/** Why a certificate cannot be made here (`openssl` is missing), or undefined when it can. */
export function opensslProblem(): string | undefined {
  return spawnSync("openssl", ["version"]).error
    ? "openssl is not installed (apt-get install openssl)"
    : undefined;
}

/** Where a stage's HTTPS server block (stage 08 on) goes instead of port 8443 and `.data/tls/`. */
export interface TlsPlacement {
  /** Replaces `listen 127.0.0.1:8443 ssl;`, and the port plain HTTP redirects to. */
  port: number;
  /** A folder holding cert.pem and key.pem (the stage's `scripts/make-cert.sh DIR` makes them). */
  certDir: string;
}

/**
 * A stage's nginx.conf moved to other ports: its `listen 127.0.0.1:8888;` and its upstream's
 * `server 127.0.0.1:8000;` become `listen` and `upstream`, and, with `tls`, its HTTPS server and
 * certificate move too; nothing else changes, so the file a learner runs is the file under test
 * (or under load).
 */
export function nginxConfigOn(
  original: string,
  { listen, upstream, tls }: { listen: number; upstream: number; tls?: TlsPlacement },
) {
  let config = original
    .replace("listen 127.0.0.1:8888;", `listen 127.0.0.1:${listen};`)
    .replace("server 127.0.0.1:8000;", `server 127.0.0.1:${upstream};`);
  if (!config.includes(`listen 127.0.0.1:${listen};`) || !config.includes(`server 127.0.0.1:${upstream};`)) {
    throw new Error("nginx.conf no longer has `listen 127.0.0.1:8888;` and `server 127.0.0.1:8000;`");
  }
  if (!tls) return config;
  const certificates = /^(\s*ssl_certificate(?:_key)?\s+)\.data\/tls\//gm;
  if (!config.includes("listen 127.0.0.1:8443 ssl;") || config.match(certificates)?.length !== 2) {
    throw new Error("nginx.conf no longer has `listen 127.0.0.1:8443 ssl;` and its two .data/tls/ files");
  }
  config = config
    .replace("listen 127.0.0.1:8443 ssl;", `listen 127.0.0.1:${tls.port} ssl;`)
    .replaceAll("https://$host:8443$request_uri", `https://$host:${tls.port}$request_uri`)
    .replace(certificates, `$1${tls.certDir}/`);
  return config;
}

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
  const problem = nginxProblem();
  if (problem) return { skipped: problem };
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
  // a master told to stop stops its workers; one killed would leave them behind
  endWithTests(child, "SIGTERM");
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
