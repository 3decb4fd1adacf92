import { availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { readFileSync } from "node:fs";
import { CONDITIONS, type Condition, type Measurement, SCENARIOS, scenarioNamed } from "./scenarios.js";
import { type StoreInfo, storeOf } from "./store.js";
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
    /** The store of stages 03+: SQLite in a temporary folder, or a MongoDB-wire server (--store mongo). */
    store: StoreInfo;
    durationSec: number;
    warmupSec: number;
    connections: number;
    rounds: number;
    rows: number;
    workers: number;
    /**
     * How a round orders its windows: "abba-halves", each scenario's window split in two halves of
     * `halfSec` and the servers of that scenario alternated A₁ B₁ … B₂ A₂ (src/order.ts). Absent in
     * results files from before: each server then ran all its scenarios in one go, one after another.
     */
    order?: "abba-halves";
    halfSec?: number;
  };
  /** The load tool's ceiling on this machine: its req/s on the raw node:http hello (see ToolCeiling). */
  toolCeiling?: ToolCeiling;
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

export interface Run extends Omit<Measurement, "p50Ms" | "p99Ms"> {
  round: number;
  target: string;
  scenario: string;
  /** null when no request was answered in the window (noAnswerWithinSec): there is no latency to report. */
  p50Ms: number | null;
  p99Ms: number | null;
  /**
   * Set when not one request was answered within the measured window of this many seconds: the
   * server is slower than that at this load. requestsPerSec is then 0, meaning below 1 / this.
   */
  noAnswerWithinSec?: number;
  /** Only for scenarios measured under background exports (list-during-exports): */
  /** what ran beside the measured requests (idle, queue, inline)… */
  condition?: Condition;
  /** …how many exports completed inside the measurement window, and how many failed… */
  exportsCompleted?: number;
  exportErrors?: number;
  /** …and the steady rate of the measured load. */
  ratePerSec?: number;
  /** The connections of a scenario that has its own, not --connections (list-during-exports, list-c1000). */
  connections?: number;
  /** The req/s of each half of the window, in the order measured (the run adds them up). */
  halvesPerSec?: [number, number];
  /** For scenarios through nginx (list-c1000): nginx's Server header on an answer from the stage. */
  via?: string;
}

/**
 * The fastest answer the load tool can measure here: the raw node:http hello (ref-hello), with this
 * tool at the tour's connections. The tour takes it from its own `hello` rows of ref-hello (the
 * median of the rounds) or, when a tour leaves `hello` out, measures it once before the rounds.
 * A row within 10% of it (or above) may be measuring the load generator, not the server.
 */
export interface ToolCeiling {
  target: "ref-hello";
  scenario: "hello";
  tool: string;
  connections: number;
  requestsPerSec: number;
  /** How many windows it is the median of. */
  rounds: number;
  /** "hello rows": the ref-hello rows of the table; "measured once": a window of its own. */
  from: "hello rows" | "measured once";
}

/** A row at or above this share of the tool's ceiling is flagged. */
export const AT_CEILING = 0.9;

export interface Ratio {
  /** The target compared with. */
  to: string;
  /** requestsPerSec of this row divided by the other's. */
  ratio: number;
  /**
   * When one of the two rows answered nothing in its window, only a bound is known (its req/s is
   * below 1 / window): the true ratio is at least, or at most, `ratio`.
   */
  bound?: "at-least" | "at-most";
}

export interface SummaryRow {
  target: string;
  scenario: string;
  /** Set for the rows of a scenario measured under background exports; one row per condition. */
  condition?: Condition;
  rounds: number;
  /** Medians over the rounds, each metric on its own; latencies over the rounds that had answers. */
  requestsPerSec: number;
  /** null when no round had an answer. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** Rounds in which no request was answered within the window (absent when none). */
  roundsWithoutAnswer?: number;
  /**
   * Set when most rounds had no answer within this many seconds: the median req/s (0) only says
   * "below 1 / this". Tables print "< 1 req/s (no answer within 1 s)".
   */
  noAnswerWithinSec?: number;
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
  /** Through nginx: against the same target's scenario that skips nginx (list-tls: list). */
  vsDirect?: Ratio;
  /** Set when req/s is within 10% of the tool's ceiling, or above it: this row may measure the load tool. */
  atToolCeiling?: true;
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
 * A tool's measurement as a run of the tour. A window in which no request was answered is a result
 * too (the server is slower than the window at this load), not a failure: it is recorded with
 * noAnswerWithinSec and without latencies.
 */
export function measuredRun(
  measurement: Measurement,
  windowSec: number,
  where: Pick<Run, "round" | "target" | "scenario">,
): Run {
  if (measurement.requests > 0) return { ...where, ...measurement };
  const { p90Ms: _p90, maxMs: _max, ...rest } = measurement;
  return { ...where, ...rest, requestsPerSec: 0, p50Ms: null, p99Ms: null, noAnswerWithinSec: windowSec };
}

/**
 * Two halves of a window as one measurement: requests, time, errors added up, so req/s is the
 * whole window's. Percentiles cannot be added: each is the mean of the halves' weighted by their
 * requests, an approximation that stays close while the halves are alike.
 */
export function addHalves(first: Measurement, second: Measurement): Measurement & Pick<Run, "halvesPerSec"> {
  const requests = first.requests + second.requests;
  const durationSec = first.durationSec + second.durationSec;
  const answered = [first, second].filter((m) => m.requests > 0);
  const weighted = (metric: "p50Ms" | "p90Ms" | "p99Ms") =>
    answered.reduce((sum, m) => sum + (m[metric] ?? 0) * m.requests, 0) / Math.max(1, requests);
  const max = answered.map((m) => m.maxMs);
  const sum: Measurement = {
    requests,
    durationSec,
    requestsPerSec: durationSec > 0 ? requests / durationSec : 0,
    p50Ms: weighted("p50Ms"),
    p99Ms: weighted("p99Ms"),
    errors: first.errors + second.errors,
    non2xx: first.non2xx + second.non2xx,
  };
  if (answered.every((m) => m.p90Ms !== undefined)) sum.p90Ms = weighted("p90Ms");
  if (max.every((v) => v !== undefined)) sum.maxMs = Math.max(0, ...(max as number[]));
  return { ...sum, halvesPerSec: [round2(first.requestsPerSec), round2(second.requestsPerSec)] };
}

/** What a row's req/s is known to be: a number, or only "below" 1 / window when it answered nothing. */
const rateOf = (row: SummaryRow) =>
  row.noAnswerWithinSec
    ? { value: 1 / row.noAnswerWithinSec, below: true }
    : { value: row.requestsPerSec, below: false };

/** This row against another; a bound when one of them answered nothing, null when both did. */
export function ratioTo(row: SummaryRow, other: SummaryRow): Ratio | null {
  const mine = rateOf(row);
  const theirs = rateOf(other);
  if ((mine.below && theirs.below) || theirs.value <= 0) return null;
  const ratio = mine.value / theirs.value;
  if (theirs.below) return { to: other.target, ratio, bound: "at-least" };
  if (mine.below) return { to: other.target, ratio, bound: "at-most" };
  return { to: other.target, ratio };
}

/**
 * Medians per target, scenario (and condition), in scenario order then target order, with their
 * ratios. Rows measured under background exports have no ratios: they are compared with each other.
 */
export function summarize(
  runs: Run[],
  targets: Pick<Target, "id" | "kind">[],
  ceiling: Pick<ToolCeiling, "requestsPerSec"> | undefined = ceilingOf(runs),
): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const scenario of SCENARIOS.map((s) => s.name)) {
    let previous: SummaryRow | undefined;
    for (const target of targets) {
      for (const condition of [undefined, ...CONDITIONS]) {
        const mine = runs.filter(
          (r) => r.target === target.id && r.scenario === scenario && r.condition === condition,
        );
        if (mine.length === 0) continue;
        const answered = mine.filter((r) => !r.noAnswerWithinSec);
        const silent = mine.filter((r) => r.noAnswerWithinSec);
        const latency = (metric: "p50Ms" | "p99Ms") =>
          answered.length > 0 ? median(answered.map((r) => r[metric] ?? Number.NaN)) : null;
        const sum = (metric: keyof Measurement) => mine.reduce((total, r) => total + (r[metric] ?? 0), 0);
        const optional = (values: (number | undefined)[]) =>
          values.length > 0 && values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
        const requestsPerSec = median(mine.map((r) => r.requestsPerSec));
        const row: SummaryRow = {
          target: target.id,
          scenario,
          ...(condition ? { condition } : {}),
          rounds: mine.length,
          requestsPerSec,
          p50Ms: latency("p50Ms"),
          p99Ms: latency("p99Ms"),
          ...(silent.length > 0 ? { roundsWithoutAnswer: silent.length } : {}),
          ...(silent.length > 0 && requestsPerSec === 0
            ? { noAnswerWithinSec: Math.max(...silent.map((r) => r.noAnswerWithinSec!)) }
            : {}),
          p90Ms: optional(answered.map((r) => r.p90Ms)),
          maxMs: optional(answered.map((r) => r.maxMs)),
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
          if (previous) row.vsPrevious = ratioTo(row, previous);
          const ceiling = rows.find((r) => r.scenario === scenario && r.target === CEILINGS[scenario]);
          if (ceiling) row.vsCeiling = ratioTo(row, ceiling);
          previous = row;
        }
        rows.push(row);
      }
    }
  }
  for (const row of rows) {
    const direct = scenarioNamed(row.scenario)?.direct;
    const other = rows.find((r) => r.target === row.target && r.scenario === direct && !r.condition);
    const ratio = direct && !row.condition && other ? ratioTo(row, other) : null;
    if (ratio) row.vsDirect = { ...ratio, to: `${other!.target} ${direct}` };
  }
  return flagAtCeiling(rows, ceiling);
}

/** The ref-hello `hello` windows of a tour: their median is the tool's ceiling. */
const ceilingRuns = (runs: Run[]) =>
  runs.filter((r) => r.target === "ref-hello" && r.scenario === "hello" && !r.condition && r.requests > 0);

export function ceilingOf(runs: Run[]): Pick<ToolCeiling, "requestsPerSec" | "rounds"> | undefined {
  const mine = ceilingRuns(runs);
  if (mine.length === 0) return undefined;
  return { requestsPerSec: median(mine.map((r) => r.requestsPerSec)), rounds: mine.length };
}

/** Marks the rows whose req/s is within 10% of the tool's ceiling, or above it (and only those). */
export function flagAtCeiling(rows: SummaryRow[], ceiling?: Pick<ToolCeiling, "requestsPerSec">) {
  for (const row of rows) {
    const at = ceiling && !row.noAnswerWithinSec && row.requestsPerSec >= AT_CEILING * ceiling.requestsPerSec;
    if (at) row.atToolCeiling = true;
    else delete row.atToolCeiling;
  }
  return rows;
}

/** A results file, including those written before `settings.store` named the server. */
export function readResults(path: string): TourResults {
  const results = JSON.parse(readFileSync(path, "utf8")) as TourResults;
  results.settings.store = storeOf(results.settings.store);
  // files from before the ceiling was recorded measured it all the same: their ref-hello rows
  results.toolCeiling ??= toolCeilingFrom(results);
  flagAtCeiling(results.summary, results.toolCeiling);
  return results;
}

/** The ceiling of a tour whose `hello` rows include ref-hello, or undefined. */
export function toolCeilingFrom(results: {
  runs: Run[];
  tool: Pick<TourResults["tool"], "version">;
  settings: Pick<TourResults["settings"], "connections">;
}): ToolCeiling | undefined {
  const ceiling = ceilingOf(results.runs);
  if (!ceiling) return undefined;
  return {
    target: "ref-hello",
    scenario: "hello",
    tool: results.tool.version,
    connections: results.settings.connections,
    ...ceiling,
    from: "hello rows",
  };
}
