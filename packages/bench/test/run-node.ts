import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Ran, runNode as runNodeIn } from "@zero-to-one/test-kit";
import type { TourResults } from "../src/results.js";

export type { Ran };

/** A built script of this package, run with node as a person would; what it printed. */
export const runNode = (args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs?: number) =>
  runNodeIn(args, { cwd: new URL("..", import.meta.url).pathname, env, timeoutMs });

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
