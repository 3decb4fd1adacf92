import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type ServerProcess, type StartOptions } from "./server-process.js";

export interface Cluster extends ServerProcess {
  /** The workers' pids as the start-up line listed them. */
  pids: number[];
  primaryPid: number;
}

/** A fresh SQLite file path in its own temporary folder, which several processes in one test can share. */
export const freshDbPath = (prefix = "zto-") => join(mkdtempSync(join(tmpdir(), prefix)), "todo.db");

/**
 * Starts a clustered stage (05+) as a real process and waits until every worker listens, then
 * reads the worker pids and the primary's pid from its start-up line
 * (`listening on … pids 1, 2; primary pid 3`).
 */
export async function startCluster(options: StartOptions): Promise<Cluster> {
  const server = await startServer({ readyPath: "/healthz", timeoutMs: 30_000, ...options });
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

/** Every todo id in the store (from stage 08 on, the signed-in user's: `headers` sign the requests), walked page by page. */
export async function allIds(baseUrl: string, headers: Record<string, string> = {}): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let start = 0; ; start += 100) {
    const res = await fetch(`${baseUrl}/todo?start=${start}&limit=100`, { headers });
    const page = (await res.json()) as { data: { id: string }[] };
    for (const todo of page.data) ids.add(todo.id);
    if (page.data.length < 100) return ids;
  }
}
