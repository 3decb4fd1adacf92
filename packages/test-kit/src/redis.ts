import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { endWithTests } from "./end-with-tests.js";
import { freePort } from "./ports.js";

export interface TestRedis {
  /** Where to connect, with the password in it when the server asks for one (`redis://:pw@host:port`). */
  url: string;
  /** The password a throwaway server started with `requirePassword` asks for. */
  password?: string;
  /** Stops a throwaway server (a no-op for a REDIS_URL the user gave). */
  stop: () => Promise<void>;
  /** Kills and starts the throwaway server again on the same port (with its data when `persistent`). */
  restart?: () => Promise<void>;
  /** Kills the throwaway server, leaving it down until `start()`. */
  kill?: () => Promise<void>;
  start?: () => Promise<void>;
  /** Freezes the throwaway server (SIGSTOP): connections stay open, nothing is answered. */
  pause?: () => void;
  /** Lets a paused server go on (SIGCONT). */
  resume?: () => void;
}

export type RedisOrReason =
  { redis: TestRedis; skipped?: undefined } | { redis?: undefined; skipped: string };

/**
 * Real Redis for tests: `REDIS_URL` when given, else a throwaway `redis-server` on a free port
 * with its own temporary folder. It never touches a user's Redis unless REDIS_URL names it.
 * With `requirePassword` a throwaway server asks for a random password (`requirepass`, written to a
 * config file in its folder, so it never shows in the process list), and `url` carries it.
 */
export async function startTestRedis({
  persistent = false,
  requirePassword = false,
}: { persistent?: boolean; requirePassword?: boolean } = {}): Promise<RedisOrReason> {
  const given = process.env["REDIS_URL"];
  if (given && !persistent) {
    const password = decodeURIComponent(new URL(given).password) || undefined;
    return { redis: { url: given, password, stop: async () => {} } };
  }
  if (spawnSync("redis-server", ["--version"]).error) {
    return { skipped: "redis-server is not installed (apt-get install redis-server, or set REDIS_URL)" };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zto-redis-"));
  const persistence = persistent
    ? ["--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  const password = requirePassword ? randomBytes(24).toString("hex") : undefined;
  const config = join(dir, "redis.conf");
  writeFileSync(config, password ? `requirepass ${password}\n` : "", { mode: 0o600 });
  let child: ChildProcess | undefined;

  const start = async () => {
    const server = spawn(
      "redis-server",
      [config, "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", ...persistence],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = server;
    endWithTests(server);
    let log = "";
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${log}`)), 10_000);
      server.stdout?.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        if (log.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${code}:\n${log}`));
      });
    });
  };
  const kill = async () => {
    const server = child;
    child = undefined;
    if (server && server.exitCode === null && server.signalCode === null) {
      const gone = once(server, "exit");
      server.kill("SIGKILL");
      await gone;
    }
  };

  await start();
  return {
    redis: {
      url: password ? `redis://:${password}@127.0.0.1:${port}` : `redis://127.0.0.1:${port}`,
      password,
      start,
      kill,
      pause: () => void child?.kill("SIGSTOP"),
      resume: () => void child?.kill("SIGCONT"),
      restart: async () => {
        await kill();
        await start();
      },
      stop: async () => {
        await kill();
        rmSync(dir, { recursive: true, force: true });
      },
    },
  };
}
