import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { CONDITIONS, type Condition, type Measurement, SCENARIOS } from "./scenarios.js";
import type { Skipped, Target } from "./targets.js";

/**
 * The results file of one tour (documented in docs/benchmarks.md). `runs` holds every
 * measurement; `summary` holds, per target and scenario, the median over the rounds and the
 * ratios the table prints.
 */
export interface TourResults {
  schema: "zero-to-one/bench-results@1";
  /** When the tour started, ISO 8601. */
  date: string;
  wallSec: number;
  machine: Machine;
  tool: { name: string; version: string; why: string };
  settings: {
    /** The store of stages 03+: SQLite in a temporary folder, or MONGO_URL with --mongo. */
    store: "sqlite" | "mongo";
    durationSec: number;
    warmupSec: number;
    connections: number;
    rounds: number;
    rows: number;
    workers: number;
  };
  targets: (Pick<Target, "id" | "label" | "kind" | "stage" | "scenarios"> & { startup: string })[];
  /** Targets left out on purpose (not built, no Redis), with the reason. */
  skipped: Skipped[];
  /** Targets or runs that broke during the tour, with the error. */
  failures: Skipped[];
  runs: Run[];
  summary: SummaryRow[];
}

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** The 1-minute load average when the tour started and ended: other work on the machine. */
  loadAverage: { start: number; end: number };
}

export interface Run extends Measurement {
  round: number;
  target: string;
  scenario: string;
  /** Only for scenarios measured under background exports (list-during-exports): */
  /** what ran beside the measured requests (idle, queue, inline)… */
  condition?: Condition;
  /** …how many exports completed inside the measurement window, and how many failed… */
  exportsCompleted?: number;
  exportErrors?: number;
  /** …and the connections and steady rate of the measured load (the scenario's own, not --connections). */
  connections?: number;
  ratePerSec?: number;
}

export interface Ratio {
  /** The target compared with. */
  to: string;
  /** requestsPerSec of this row divided by the other's. */
  ratio: number;
}

export interface SummaryRow {
  target: string;
  scenario: string;
  /** Set for the rows of a scenario measured under background exports; one row per condition. */
  condition?: Condition;
  rounds: number;
  /** Medians over the rounds, each metric on its own. */
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Medians too, when the runs have them (results files from before the export scenario do not). */
  p90Ms?: number;
  maxMs?: number;
  /** The median over the rounds of the exports completed in one measurement window. */
  exportsCompleted?: number;
  /** Sums over the rounds. */
  requests: number;
  errors: number;
  non2xx: number;
  exportErrors?: number;
  /** Against the stage before that ran the same scenario. */
  vsPrevious: Ratio | null;
  /** Against the reference server of this scenario (ref-hello for hello, ref-page for list). */
  vsCeiling: Ratio | null;
}

export const CEILINGS: Record<string, string> = { hello: "ref-hello", list: "ref-page" };

export function machineFacts(loadAtStart: number): Machine {
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    loadAverage: { start: loadAtStart, end: round2(loadavg()[0] ?? 0) },
  };
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Medians per target, scenario (and condition), in scenario order then target order, with their
 * ratios. Rows measured under background exports have no ratios: they are compared with each other.
 */
export function summarize(runs: Run[], targets: Pick<Target, "id" | "kind">[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const scenario of SCENARIOS.map((s) => s.name)) {
    let previous: SummaryRow | undefined;
    for (const target of targets) {
      for (const condition of [undefined, ...CONDITIONS]) {
        const mine = runs.filter(
          (r) => r.target === target.id && r.scenario === scenario && r.condition === condition,
        );
        if (mine.length === 0) continue;
        const pick = (metric: keyof Measurement) => median(mine.map((r) => r[metric] ?? Number.NaN));
        const sum = (metric: keyof Measurement) => mine.reduce((total, r) => total + (r[metric] ?? 0), 0);
        const optional = (values: (number | undefined)[]) =>
          values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
        const row: SummaryRow = {
          target: target.id,
          scenario,
          ...(condition ? { condition } : {}),
          rounds: mine.length,
          requestsPerSec: pick("requestsPerSec"),
          p50Ms: pick("p50Ms"),
          p99Ms: pick("p99Ms"),
          p90Ms: optional(mine.map((r) => r.p90Ms)),
          maxMs: optional(mine.map((r) => r.maxMs)),
          ...(condition
            ? {
                exportsCompleted: median(mine.map((r) => r.exportsCompleted ?? 0)),
                exportErrors: mine.reduce((total, r) => total + (r.exportErrors ?? 0), 0),
              }
            : {}),
          requests: sum("requests"),
          errors: sum("errors"),
          non2xx: sum("non2xx"),
          vsPrevious: null,
          vsCeiling: null,
        };
        if (target.kind === "stage" && !condition) {
          if (previous && previous.requestsPerSec > 0) {
            row.vsPrevious = { to: previous.target, ratio: row.requestsPerSec / previous.requestsPerSec };
          }
          const ceiling = rows.find((r) => r.scenario === scenario && r.target === CEILINGS[scenario]);
          if (ceiling)
            row.vsCeiling = { to: ceiling.target, ratio: row.requestsPerSec / ceiling.requestsPerSec };
          previous = row;
        }
        rows.push(row);
      }
    }
  }
  return rows;
}
