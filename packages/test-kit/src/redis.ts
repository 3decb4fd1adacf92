import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

export interface TestRedis {
  url: string;
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

/** Throwaway servers still running: killed when the test process exits, so none outlives its tests. */
const running = new Set<ChildProcess>();
const killRunning = () => {
  for (const server of running) server.kill("SIGKILL");
};
process.on("exit", killRunning);
// a test runner may end its worker with a signal, which skips "exit": clean up, then, unless
// someone else handles that signal, die of it as the process would have
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  process.once(signal, () => {
    killRunning();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}

/**
 * Real Redis for tests: `REDIS_URL` when given, else a throwaway `redis-server` on a free port
 * with its own temporary folder. It never touches a user's Redis unless REDIS_URL names it.
 */
export async function startTestRedis({ persistent = false } = {}): Promise<RedisOrReason> {
  const given = process.env["REDIS_URL"];
  if (given && !persistent) return { redis: { url: given, stop: async () => {} } };
  if (spawnSync("redis-server", ["--version"]).error) {
    return { skipped: "redis-server is not installed (apt-get install redis-server, or set REDIS_URL)" };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zto-redis-"));
  const persistence = persistent
    ? ["--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  let child: ChildProcess | undefined;

  const start = async () => {
    const server = spawn(
      "redis-server",
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", ...persistence],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child = server;
    running.add(server);
    server.once("exit", () => running.delete(server));
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
      url: `redis://127.0.0.1:${port}`,
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
