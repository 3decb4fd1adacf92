import { startServer, startTestRedis, type ServerProcess } from "@zero-to-one/test-kit";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

export const stageDir = new URL("..", import.meta.url).pathname;

/**
 * One throwaway Redis for the processes a test file starts: a learner's Redis on :6379 is never
 * touched. Without redis-server the processes run with the cache bypassed (an unreachable URL).
 */
const started = await startTestRedis();
if (started.skipped) console.log(`skipped: ${started.skipped}`);
export const redis = started.redis;
export const REDIS_URL = redis?.url ?? "redis://127.0.0.1:1";
/** For in-process apps: undefined when there is no Redis (the cache then bypasses). */
export const redisUrl = redis?.url;
afterAll(() => redis?.stop());

/** A fresh SQLite file that several clusters in one test can share (to check what survived). */
export const freshDbPath = () => join(mkdtempSync(join(tmpdir(), "zto-07-")), "todo.db");

export interface Cluster extends ServerProcess {
  /** The workers' pids as the start-up line listed them. */
  pids: number[];
  primaryPid: number;
}

/** Starts `npm start` of this stage as a real process and waits until every worker listens. */
export async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const server = await startServer({
    cwd: stageDir,
    env: {
      WORKERS: "2",
      DB_PATH: freshDbPath(),
      MONGO_URL: "",
      TRUSTED_PROXY: "127.0.0.1",
      REDIS_URL,
      ...env,
    },
    readyPath: "/healthz",
    timeoutMs: 30_000,
  });
  const line = await waitFor(() => /listening on .*pids ([\d, ]+); primary pid (\d+)/.exec(server.output()), {
    what: "the start-up line",
    output: server.output,
  });
  return {
    ...server,
    pids: line[1]!.split(", ").map(Number),
    primaryPid: Number(line[2]),
  };
}

/** Polls `check` until it returns something truthy; fails with the process output after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | null | undefined | false,
  { what, output, timeoutMs = 30_000 }: { what: string; output?: () => string; timeoutMs?: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`waited ${timeoutMs} ms for ${what}${output ? `; output:\n${output()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The exit code of a process we signalled ourselves, or a failure if it is still running after `timeoutMs`. */
export function exitCode(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`still running ${timeoutMs} ms after the signal: killed`));
    }, timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Every todo id in the store, walked page by page. */
export async function allIds(baseUrl: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let start = 0; ; start += 100) {
    const res = await fetch(`${baseUrl}/todo?start=${start}&limit=100`);
    const page = (await res.json()) as { data: { id: string }[] };
    for (const todo of page.data) ids.add(todo.id);
    if (page.data.length < 100) return ids;
  }
}
