import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { prettyJson } from "../json.js";
import { fillMarkersIn, replaceMarkers } from "../markers.js";
import { AT_CEILING, median } from "../results.js";
import { CEILING_MARK } from "../table.js";
import type { FrameworkMeasurement, FrameworkRun } from "./measure.js";
import { GOALS, ROWS, type RowId } from "./rows.js";

/** One row of the breakdown: medians over the rounds, or why it was not measured. */
export interface FrameworkRowResult {
  id: RowId;
  label: string;
  path: string;
  base?: RowId;
  adds?: string;
  startup: string;
  check?: { "X-Cache": string };
  note?: string;
  /** Why the row has no numbers (a program missing, a server that did not start or broke). */
  skipped?: string;
  rounds?: number;
  requestsPerSec?: number;
  /** CPU time of the server's processes per request, in µs (absent without /proc). */
  cpuUsPerRequest?: number;
  /** req/s against A's, round by round (the median of the rounds' ratios). */
  vsA?: number | null;
  /** A's CPU per request against this row's: the speed CPU alone would allow, as a share of A's. */
  cpuVsA?: number | null;
  /** CPU µs per request minus the base row's, round by round (the median): what `adds` costs a request. */
  /** req/s against the base row, round by round. */
  vsBase?: number | null;
  diffUs?: number | null;
  errors?: number;
  non2xx?: number;
  /** req/s within 10% of A's (the tool's ceiling) or above: the req/s may be the load tool's limit. */
  atToolCeiling?: true;
}

export interface GoalResult {
  /** e.g. "E ≥ 0.9 × D" */
  goal: string;
  byRps: number | null;
  byCpu: number | null;
  metByRps: boolean | null;
  metByCpu: boolean | null;
}

export interface FrameworkResults extends Omit<FrameworkMeasurement, "starts" | "failures" | "runs"> {
  schema: "zero-to-one/framework-cost@1";
  rows: FrameworkRowResult[];
  goals: GoalResult[];
  /** E against F: the same bytes, from stage 06 and from raw node:http. */
  sameBytes: { rpsRatio: number | null; diffUs: number | null };
  /** H against D: E's bytes instead of hello through stage 01's stack, with no cache — E's ceiling against D. */
  constantPage: { rpsRatio: number | null; cpuRatio: number | null };
  failures: FrameworkMeasurement["failures"];
  runs: FrameworkMeasurement["runs"];
}

const ratio = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined && b > 0 ? a / b : null;
const difference = (a: number | undefined, b: number | undefined) =>
  a !== undefined && b !== undefined ? a - b : null;

/** The medians, ratios and differences of a measurement. */
export function summarizeFramework(m: FrameworkMeasurement): FrameworkResults {
  const rows: FrameworkRowResult[] = ROWS.map((row) => {
    const start = m.starts.find((s) => s.id === row.id);
    const mine = m.runs.filter((run) => run.row === row.id);
    const failed = m.failures.find((f) => f.id === row.id);
    const result: FrameworkRowResult = {
      id: row.id,
      label: row.label,
      path: row.path,
      ...(row.base ? { base: row.base, adds: row.adds } : {}),
      startup: start?.startup ?? "",
      ...(start?.check ? { check: start.check } : {}),
      ...(start?.note ? { note: start.note } : {}),
    };
    const skipped = start?.skipped ?? failed?.reason ?? (mine.length === 0 ? "not measured" : undefined);
    if (skipped || mine.length < m.settings.rounds) {
      return { ...result, skipped: skipped ?? failed?.reason ?? "not measured in every round" };
    }
    const cpu = mine.map((run) => run.cpuUsPerRequest);
    return {
      ...result,
      rounds: mine.length,
      requestsPerSec: median(mine.map((run) => run.requestsPerSec)),
      ...(cpu.every((v) => v !== undefined) ? { cpuUsPerRequest: median(cpu as number[]) } : {}),
      errors: mine.reduce((sum, run) => sum + run.errors, 0),
      non2xx: mine.reduce((sum, run) => sum + run.non2xx, 0),
    };
  });
  const row = (id: RowId) => rows.find((r) => r.id === id && !r.skipped);
  // Two rows are compared round by round, where their halves alternated, and the median of those
  // rounds is taken: comparing each row's own median would pair windows of different rounds.
  const paired = (
    id: RowId,
    other: RowId | undefined,
    compare: (a: FrameworkRun, b: FrameworkRun) => number | null,
  ) => {
    if (!other || !row(id) || !row(other)) return null;
    const values = m.runs
      .filter((run) => run.row === id)
      .map((run) => {
        const theirs = m.runs.find((o) => o.row === other && o.round === run.round);
        return theirs ? compare(run, theirs) : null;
      });
    return values.every((v) => v !== null) && values.length > 0 ? median(values as number[]) : null;
  };
  const rpsRatio = (a: FrameworkRun, b: FrameworkRun) => ratio(a.requestsPerSec, b.requestsPerSec);
  const cpuRatio = (a: FrameworkRun, b: FrameworkRun) => ratio(b.cpuUsPerRequest, a.cpuUsPerRequest);
  const cpuDiff = (a: FrameworkRun, b: FrameworkRun) => difference(a.cpuUsPerRequest, b.cpuUsPerRequest);
  const a = row("A");
  for (const r of rows.filter((r) => !r.skipped)) {
    r.vsA = paired(r.id, "A", rpsRatio);
    r.cpuVsA = paired(r.id, "A", cpuRatio);
    if (r.base) {
      r.diffUs = paired(r.id, r.base, cpuDiff);
      r.vsBase = paired(r.id, r.base, rpsRatio);
    }
    if (a && r.requestsPerSec! >= AT_CEILING * a.requestsPerSec!) r.atToolCeiling = true;
  }
  const goals = GOALS.map(({ row: id, of, atLeast }) => {
    const byRps = paired(id, of, rpsRatio);
    const byCpu = paired(id, of, cpuRatio);
    return {
      goal: `${id} ≥ ${atLeast} × ${of}`,
      byRps,
      byCpu,
      metByRps: byRps === null ? null : byRps >= atLeast,
      metByCpu: byCpu === null ? null : byCpu >= atLeast,
    };
  });
  const { starts: _starts, failures, runs, ...rest } = m;
  return {
    schema: "zero-to-one/framework-cost@1",
    ...rest,
    rows,
    goals,
    sameBytes: { rpsRatio: paired("E", "F", rpsRatio), diffUs: paired("E", "F", cpuDiff) },
    constantPage: { rpsRatio: paired("H", "D", rpsRatio), cpuRatio: paired("H", "D", cpuRatio) },
    failures,
    runs,
  };
}

const rps = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const times = (n: number | null | undefined) => (n === null || n === undefined ? "–" : `${n.toFixed(2)}×`);
const us = (n: number | undefined) => (n === undefined ? "–" : n.toFixed(1));
// a difference that rounds to zero is "+0.0", never "−0.0"
const signed = (n: number) => `${n <= -0.05 ? "−" : "+"}${Math.abs(n).toFixed(1)}`;

export const FRAMEWORK_HEADERS = [
  "row",
  "server",
  "request",
  "req/s",
  "vs A",
  "CPU µs/request",
  "CPU vs A",
  "Δ CPU µs/request",
  "what the Δ is",
];

function cellsOf(r: FrameworkRowResult): string[] {
  if (r.skipped) return [r.id, r.label, `GET ${r.path}`, `skipped: ${r.skipped}`, "", "", "", "", ""];
  const diff =
    r.base && r.diffUs !== null && r.diffUs !== undefined ? `${signed(r.diffUs)} (${r.id}−${r.base})` : "";
  return [
    r.id,
    r.label,
    `GET ${r.path}`,
    `${rps(r.requestsPerSec)}${r.atToolCeiling ? ` ${CEILING_MARK}` : ""}`,
    times(r.vsA),
    us(r.cpuUsPerRequest),
    times(r.cpuVsA),
    diff,
    r.adds ?? "",
  ];
}

/** The lines under the table: E against F, the goals, what ‡ means. */
export function frameworkNotes(results: FrameworkResults): string[] {
  const notes: string[] = [
    "req/s and CPU µs/request: each row's median over the rounds; the ratios and Δ: the median of each " +
      "round's own, between windows that alternated.",
  ];
  const { rpsRatio, diffUs } = results.sameBytes;
  if (rpsRatio !== null) {
    notes.push(
      `E against F, the same bytes: ${times(rpsRatio)} the req/s` +
        `${diffUs === null ? "" : `, ${signed(diffUs)} µs of CPU per request`}.`,
    );
  }
  const constant = results.constantPage;
  if (constant.rpsRatio !== null) {
    notes.push(
      `H against D, E's page instead of hello and no cache at all: ${times(constant.rpsRatio)} the req/s` +
        `${constant.cpuRatio === null ? "" : `, ${times(constant.cpuRatio)} by CPU per request`}: the nearest a page answered by this stack comes to D, with no app and no cache.`,
    );
  }
  for (const row of results.rows.filter((r) => r.note)) notes.push(`${row.id} answered ${row.note}.`);
  for (const goal of results.goals) {
    if (goal.byRps === null) continue;
    const met = (ok: boolean | null) => (ok ? "met" : "not met");
    const cpu =
      goal.byCpu === null ? "" : `; ${times(goal.byCpu)} by CPU per request (${met(goal.metByCpu)})`;
    notes.push(`Goal ${goal.goal}: ${times(goal.byRps)} by req/s (${met(goal.metByRps)})${cpu}.`);
  }
  if (results.rows.some((r) => r.atToolCeiling)) {
    notes.push(
      `${CEILING_MARK} at the tool's ceiling: this row may measure the load generator, not the server ` +
        `(its req/s is within ${Math.round((1 - AT_CEILING) * 100)}% of A's, the fastest server ${results.tool.version} can measure here); ` +
        `its CPU per request is still the server's own.`,
    );
  }
  return notes;
}

export function measuredLine(results: FrameworkResults): string {
  const s = results.settings;
  const m = results.machine;
  return (
    `${results.date.slice(0, 10)}, ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${results.tool.version}, ` +
    `${s.connections} connections, median of ${s.rounds} round${s.rounds === 1 ? "" : "s"} × ${2 * s.halfSec} s ` +
    `(two halves of ${s.halfSec} s, ABBA)` +
    `${results.cpu ? ", CPU time from /proc/PID/stat" : ", no CPU times (no /proc)"}`
  );
}

export function frameworkTextTable(results: FrameworkResults): string {
  const body = results.rows.map(cellsOf);
  const numeric = (i: number) => i >= 3 && i <= 7;
  const widths = FRAMEWORK_HEADERS.map((h, i) =>
    Math.max(h.length, ...body.filter((r) => !r[3]!.startsWith("skipped")).map((r) => r[i]!.length)),
  );
  const format = (row: string[]) =>
    row[3]!.startsWith("skipped")
      ? [row[0]!.padEnd(widths[0]!), row[1]!.padEnd(widths[1]!), row[2]!.padEnd(widths[2]!), row[3]].join(
          "  ",
        )
      : row
          .map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
          .join("  ")
          .trimEnd();
  return [
    format(FRAMEWORK_HEADERS),
    widths.map((w) => "─".repeat(w)).join("  "),
    ...body.map(format),
    "",
    ...frameworkNotes(results),
    measuredLine(results),
  ].join("\n");
}

export function frameworkMarkdownTable(results: FrameworkResults): string {
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const align = FRAMEWORK_HEADERS.map((_, i) => (i >= 3 && i <= 7 ? "---:" : "---"));
  return [line(FRAMEWORK_HEADERS), line(align), ...results.rows.map((r) => line(cellsOf(r)))].join("\n");
}

function valueOf(results: FrameworkResults, id: string, field: string): string | undefined {
  const r = results.rows.find((row) => row.id === id && !row.skipped);
  if (!r) return undefined;
  switch (field) {
    case "rps":
      return rps(r.requestsPerSec);
    case "cpu":
      return r.cpuUsPerRequest === undefined ? undefined : `${us(r.cpuUsPerRequest)} µs`;
    case "vs-a":
      return r.vsA === null || r.vsA === undefined ? undefined : times(r.vsA);
    case "cpu-vs-a":
      return r.cpuVsA === null || r.cpuVsA === undefined ? undefined : times(r.cpuVsA);
    case "vs-base":
      return r.vsBase === null || r.vsBase === undefined ? undefined : times(r.vsBase);
    case "diff":
      return r.diffUs === null || r.diffUs === undefined ? undefined : `${signed(r.diffUs)} µs`;
    case "diff-share":
      // what the row adds, as a share of the row's own CPU per request
      return r.diffUs === null || r.diffUs === undefined || !r.cpuUsPerRequest
        ? undefined
        : `${Math.round((100 * r.diffUs) / r.cpuUsPerRequest)}%`;
    default:
      return undefined;
  }
}

/**
 * Fills `bench:framework-table` (the table, its notes and when it was measured) and
 * `bench:framework-value ROW FIELD` (FIELD: rps, cpu, vs-a, cpu-vs-a, vs-base, diff, diff-share).
 */
export function fillFrameworkMarkers(
  text: string,
  results: FrameworkResults,
  warn: (line: string) => void = console.warn,
): string {
  return replaceMarkers(
    text,
    {
      "framework-table": () =>
        `\n${frameworkMarkdownTable(results)}\n\n${frameworkNotes(results)
          .map((note) => `- ${note}\n`)
          .join("")}\n<sub>${measuredLine(results)}; \`docs/benchmarks/framework.json\`.</sub>\n`,
      "framework-value": ([id = "", field = ""]) => valueOf(results, id, field),
    },
    warn,
  );
}

/** Writes `benchmarks/framework.json` and fills the framework markers of every page in `docs`. */
export function writeFrameworkDocs(results: FrameworkResults, docs: string): string[] {
  mkdirSync(join(docs, "benchmarks"), { recursive: true });
  const json = join(docs, "benchmarks", "framework.json");
  writeFileSync(json, prettyJson(results));
  return [json, ...fillMarkersIn(docs, (text) => fillFrameworkMarkers(text, results))];
}

export const readFrameworkResults = (path: string) =>
  JSON.parse(readFileSync(path, "utf8")) as FrameworkResults;
