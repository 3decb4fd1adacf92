import { tableBlock, writeResultsDocs } from "../bench-command.js";
import { replaceMarkers } from "../markers.js";
import { median, round2 } from "../results.js";
import { CONDITIONS, type Condition, PARTS, type Part, type StampedeMeasurement } from "./measure.js";

/** One part under one condition over every round, or why it was not measured. */
export interface StampedeRow {
  part: Part;
  condition: Condition;
  skipped?: string;
  rounds?: number;
  /** Median over the rounds. */
  requestsPerSec?: number;
  p99Ms?: number;
  /** The page only: the median over the rounds of the p99 of requests in flight just after an expiry. */
  aroundExpiryP99Ms?: number | null;
  /** Totals over the rounds. */
  requests?: number;
  storeReads?: number;
  expiries?: number;
  errors?: number;
  /** Every round's store reads ÷ every round's expiries (the page) … */
  storeReadsPerExpiry?: number | null;
  /** … and ÷ every round's requests. */
  storeReadsPerRequest?: number;
}

export interface StampedeResults extends StampedeMeasurement {
  schema: "zero-to-one/stampede@1";
  rows: StampedeRow[];
}

export function summarizeStampede(m: StampedeMeasurement): StampedeResults {
  const rows = PARTS.flatMap((part) =>
    CONDITIONS.map((condition): StampedeRow => {
      const mine = m.runs.filter((run) => run.part === part && run.condition === condition);
      const failed = m.failures.find((f) => f.id === condition);
      if (mine.length === 0 || mine.length < m.settings.rounds) {
        return { part, condition, skipped: failed?.reason ?? "not measured in every round" };
      }
      const total = (pick: (run: (typeof mine)[number]) => number) =>
        mine.reduce((sum, run) => sum + pick(run), 0);
      const requests = total((run) => run.requests);
      const storeReads = total((run) => run.storeReads);
      const row: StampedeRow = {
        part,
        condition,
        rounds: mine.length,
        requestsPerSec: round2(median(mine.map((run) => run.requestsPerSec))),
        p99Ms: round2(median(mine.map((run) => run.p99Ms))),
        requests,
        storeReads,
        errors: total((run) => run.errors),
        storeReadsPerRequest: storeReads / Math.max(1, requests),
      };
      if (part === "expiring-page") {
        const expiries = total((run) => run.expiries ?? 0);
        const around = mine
          .map((run) => run.aroundExpiry?.p99Ms)
          .filter((v): v is number => typeof v === "number");
        row.expiries = expiries;
        row.storeReadsPerExpiry = expiries > 0 ? storeReads / expiries : null;
        row.aroundExpiryP99Ms = around.length > 0 ? round2(median(around)) : null;
      }
      return row;
    }),
  );
  return { schema: "zero-to-one/stampede@1", ...m, rows };
}

const REQUESTS: Record<Part, (lifetimeMs: number) => string> = {
  "expiring-page": (lifetimeMs) => `GET /todo, the page expiring every ${lifetimeMs} ms`,
  "unknown-id": () => "GET /todo/:id, one unknown id",
  "new-ids": () => "GET /todo/:id, a new unknown id each time",
};

export const STAMPEDE_HEADERS = [
  "request",
  "protection",
  "req/s",
  "p99 ms",
  "p99 ms after an expiry",
  "expiries",
  "store reads",
  "per expiry",
  "per request",
  "errors",
];
const NUMERIC_FROM = 2;

const number = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));
const ms = (n: number | null | undefined) => (n === null || n === undefined ? "–" : n.toFixed(1));
/** Two significant digits below 10 (1.0, 0.00042), then one decimal, then none. */
const ratio = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toPrecision(2);

function cellsOf(row: StampedeRow, lifetimeMs: number): string[] {
  const request = REQUESTS[row.part](lifetimeMs);
  if (row.skipped) return [request, row.condition, ...Array<string>(8).fill("–")];
  const page = row.part === "expiring-page";
  return [
    request,
    row.condition,
    number(row.requestsPerSec),
    ms(row.p99Ms),
    page ? ms(row.aroundExpiryP99Ms) : "–",
    page ? number(row.expiries) : "–",
    number(row.storeReads),
    page ? ratio(row.storeReadsPerExpiry) : "–",
    ratio(row.storeReadsPerRequest),
    number(row.errors),
  ];
}

/** The lines under the table: how each column was measured. */
export function stampedeNotes(results: StampedeResults): string[] {
  const s = results.settings;
  const skipped = results.rows
    .filter((row) => row.skipped)
    .map(
      (row) => `${REQUESTS[row.part](s.lifetimeMs)}, protection ${row.condition}: skipped, ${row.skipped}.`,
    );
  return [
    ...skipped,
    `protection: CACHE_PROTECTION, "on" (stage 06 as it is: lock, stale copy, early refresh, not-found cache) ` +
      `or "off" (the naive cache: every reader that misses reads the store); the page lives CACHE_FRESH_MS=${s.lifetimeMs}.`,
    "req/s and p99: the median over the rounds; store reads, expiries and errors: totals over the rounds, " +
      "and their ratios are totals divided by totals.",
    `store reads: from each worker's counters in /healthz; an expiry: a copy of the first page whose fresh_until ` +
      `(read from Redis every 10 ms) passed while the load ran; "after an expiry": the requests in flight within ` +
      `${s.aroundMs} ms after one.`,
    "per request: the load tool does not count the requests still in flight when it stops, which the server " +
      "did answer: a store read for every request shows as a little more than 1.",
    "errors: socket errors, timeouts and answers other than 200 for the page and 404 for the unknown ids.",
  ];
}

export function measuredLine(results: StampedeResults): string {
  const s = results.settings;
  const m = results.machine;
  return (
    `${results.date.slice(0, 10)}, ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${results.tool.version}, ` +
    `${s.connections} connections, stage 06 with ${s.workers} workers over SQLite (${s.rows.toLocaleString("en-US")} todos), ` +
    `${s.rounds} round${s.rounds === 1 ? "" : "s"} × ${2 * s.halfSec} s per request and condition ` +
    `(two halves of ${s.halfSec} s, ABBA); the load generator shares the cores with the server`
  );
}

/** Columns padded to their widest cell, numbers to the right; a blank line between requests. */
function plainTable(body: string[][]): string {
  const widths = STAMPEDE_HEADERS.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => (i >= NUMERIC_FROM ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const lines = [format(STAMPEDE_HEADERS), widths.map((w) => "─".repeat(w)).join("  ")];
  body.forEach((row, i) => {
    if (i > 0 && row[0] !== body[i - 1]![0]) lines.push("");
    lines.push(format(row));
  });
  return lines.join("\n");
}

export function stampedeTextTable(results: StampedeResults): string {
  const body = results.rows.map((row) => cellsOf(row, results.settings.lifetimeMs));
  return [plainTable(body), "", ...stampedeNotes(results), measuredLine(results)].join("\n");
}

export function stampedeMarkdownTable(results: StampedeResults): string {
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const align = STAMPEDE_HEADERS.map((_, i) => (i >= NUMERIC_FROM ? "---:" : "---"));
  const body = results.rows.map((row) => line(cellsOf(row, results.settings.lifetimeMs)));
  return [line(STAMPEDE_HEADERS), line(align), ...body].join("\n");
}

/** Fills `bench:stampede-table`: the table, its notes and when it was measured. */
export function fillStampedeMarkers(
  text: string,
  results: StampedeResults,
  warn: (line: string) => void = console.warn,
): string {
  return replaceMarkers(
    text,
    {
      "stampede-table": () =>
        tableBlock(
          stampedeMarkdownTable(results),
          stampedeNotes(results),
          measuredLine(results),
          "stampede.json",
        ),
    },
    warn,
  );
}

/** Writes `benchmarks/stampede.json` and fills the stampede markers of every page in `docs`. */
export const writeStampedeDocs = (results: StampedeResults, docs: string) =>
  writeResultsDocs(docs, "stampede", results, (text) => fillStampedeMarkers(text, results));
