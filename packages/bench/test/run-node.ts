import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TourResults } from "../src/results.js";

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built script of this package with node, as a person would, and collects what it printed;
 * with `timeoutMs`, a run that takes longer is stopped with SIGTERM.
 */
export async function runNode(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs?: number,
): Promise<Ran> {
  const child = spawn(process.execPath, args, {
    cwd: new URL("..", import.meta.url).pathname,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
  });
  const ran: Ran = { status: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (ran.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (ran.stderr += chunk.toString()));
  [ran.status] = (await once(child, "exit")) as [number | null];
  return ran;
}

export interface Tour extends Ran {
  /** The run's latest.json, when it wrote one. */
  results?: TourResults;
}

/**
 * A real tour, as `npm run tour` runs it: one round of 1 s with 300 todos unless `args` say
 * otherwise, its results in a temporary folder (removed after), docs/ and Flask left alone.
 */
export async function runTour(
  args: string[],
  { env = process.env, timeoutMs }: { env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Tour> {
  const dir = mkdtempSync(join(tmpdir(), "zto-bench-tour-"));
  try {
    const run: Tour = await runNode(
      [
        ...["dist/cli.js", "--duration", "1", "--rounds", "1", "--rows", "300"],
        ...["--results-dir", dir, "--no-docs", "--no-flask", ...args],
      ],
      env,
      timeoutMs,
    );
    const latest = join(dir, "latest.json");
    if (existsSync(latest)) run.results = JSON.parse(readFileSync(latest, "utf8")) as TourResults;
    return run;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
