import { availableParallelism } from "node:os";
import type { TourResults } from "./results.js";
import { SCENARIO_NAMES, type ScenarioName } from "./scenarios.js";

/** What the tour runs with when given no options, and the only settings docs/benchmarks.md shows. */
export const DEFAULTS = {
  durationSec: 4,
  warmupSec: 1,
  connections: 100,
  rounds: 3,
  rows: 10_000,
  workers: availableParallelism(),
};

const FLAGS: Record<keyof typeof DEFAULTS, string> = {
  durationSec: "--duration",
  warmupSec: "--warmup",
  connections: "--connections",
  rounds: "--rounds",
  rows: "--rows",
  workers: "--workers",
};

/** The stages and scenarios asked for on the command line (undefined: all of them). */
export interface Asked {
  stages?: number[];
  scenarios?: ScenarioName[];
}

/**
 * Why this tour must not replace the published page, or [] for a full default tour: every stage
 * in stages/ measured, every scenario, the DEFAULTS above, SQLite, nothing left out and nothing
 * failed. The load tool may be any of them, and the Flask rows may be missing: the page names both.
 */
export function partialBecause(results: TourResults, asked: Asked, allStages: string[]): string[] {
  const reasons: string[] = [];
  const numbers = allStages.map((id) => Number(id.slice(0, 2)));
  if (asked.stages && !numbers.every((n) => asked.stages!.includes(n))) {
    reasons.push(`--stages ${asked.stages.map((n) => String(n).padStart(2, "0")).join(",")}`);
  }
  if (asked.scenarios && !SCENARIO_NAMES.every((name) => asked.scenarios!.includes(name))) {
    reasons.push(`--scenarios ${asked.scenarios.join(",")}`);
  }
  for (const [key, flag] of Object.entries(FLAGS) as [keyof typeof DEFAULTS, string][]) {
    const value = results.settings[key];
    if (value !== DEFAULTS[key])
      reasons.push(`${flag} ${value}, not ${DEFAULTS[key].toLocaleString("en-US")}`);
  }
  if (results.settings.store.kind !== "sqlite") reasons.push(`--store ${results.settings.store.kind}`);
  const measured = new Set(results.targets.map((t) => t.id));
  const wanted = allStages.filter((id) => !asked.stages || asked.stages.includes(Number(id.slice(0, 2))));
  const unmeasured = wanted.filter((id) => !measured.has(id));
  if (unmeasured.length > 0) reasons.push(`not measured: ${unmeasured.join(", ")}`);
  const leftOut = results.skipped.filter((s) => !s.id.startsWith("flask") && !unmeasured.includes(s.id));
  if (leftOut.length > 0) reasons.push(`left out: ${leftOut.map((s) => s.id).join(", ")}`);
  if (results.failures.length > 0) reasons.push(`${results.failures.length} failure(s)`);
  return reasons;
}
