import { tableBlock, writeResultsDocs } from "../bench-command.js";
import { measuredLine } from "../halves.js";
import { replaceMarkers } from "../markers.js";
import { median } from "../results.js";
import { markdownText, ms, plainText } from "../table.js";
import {
  type BlockingMeasurement,
  type BlockingRun,
  CONDITIONS,
  type Condition,
  idOf,
  serverOf,
} from "./measure.js";

/** One server in one condition: medians over the rounds, or why it has no numbers. */
export interface BlockingRow {
  processes: number;
  condition: Condition;
  skipped?: string;
  rounds?: number;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  /** p50 and p99 minus the same server's with nothing else running, round by round (the median). */
  addedP50Ms?: number | null;
  addedP99Ms?: number | null;
  /** Slow calls answered per second of the window, and how long one took (medians). */
  slowCallsPerSec?: number;
  slowCallMs?: number | null;
  errors?: number;
  non2xx?: number;
  slowErrors?: number;
}

export interface BlockingResults extends Omit<BlockingMeasurement, "failures" | "runs"> {
  schema: "zero-to-one/blocking@1";
  rows: BlockingRow[];
  failures: BlockingMeasurement["failures"];
  runs: BlockingMeasurement["runs"];
}

const sum = (runs: BlockingRun[], pick: (run: BlockingRun) => number) =>
  runs.reduce((total, run) => total + pick(run), 0);

/** The medians, and each row's latencies against the same server's with nothing else running. */
export function summarizeBlocking(m: BlockingMeasurement): BlockingResults {
  const servers = [...new Set([...m.starts.map((s) => s.processes), ...m.runs.map((r) => r.processes)])];
  const rows = servers.flatMap((processes) =>
    CONDITIONS.map((condition): BlockingRow => {
      const mine = m.runs.filter((r) => r.processes === processes && r.condition === condition);
      const failed = m.failures.find(
        (f) => f.id === serverOf(processes) || f.id === idOf({ processes, condition }),
      );
      if (mine.length < m.settings.rounds) {
        return { processes, condition, skipped: failed?.reason ?? "not measured in every round" };
      }
      const added = (metric: "p50Ms" | "p99Ms") => {
        const differences = mine.flatMap((run) => {
          const alone = m.runs.find(
            (r) => r.processes === processes && r.condition === "none" && r.round === run.round,
          );
          return alone && run[metric] !== null && alone[metric] !== null
            ? [run[metric]! - alone[metric]!]
            : [];
        });
        return differences.length === mine.length ? median(differences) : null;
      };
      return {
        processes,
        condition,
        rounds: mine.length,
        requestsPerSec: median(mine.map((r) => r.requestsPerSec)),
        p50Ms: median(mine.map((r) => r.p50Ms ?? Number.NaN)),
        p99Ms: median(mine.map((r) => r.p99Ms ?? Number.NaN)),
        ...(condition === "none"
          ? {}
          : {
              addedP50Ms: added("p50Ms"),
              addedP99Ms: added("p99Ms"),
              slowCallsPerSec: median(mine.map((r) => r.slow.calls / r.durationSec)),
              slowCallMs: median(mine.flatMap((r) => (r.slow.medianMs === null ? [] : [r.slow.medianMs]))),
            }),
        errors: sum(mine, (r) => r.errors),
        non2xx: sum(mine, (r) => r.non2xx),
        slowErrors: sum(mine, (r) => r.slow.errors),
      };
    }),
  );
  const { failures, runs, ...rest } = m;
  return { schema: "zero-to-one/blocking@1", ...rest, rows, failures, runs };
}

export const BLOCKING_HEADERS = [
  "server",
  "while GET /index is measured",
  "/index req/s",
  "p50 ms",
  "p99 ms",
  "p50 added",
  "p99 added",
  "slow calls/s",
  "one slow call, ms",
];
const numeric = (column: number) => column >= 2;

function whileLabel(results: BlockingResults, condition: Condition) {
  const { slowClients, waitMs } = results.settings;
  if (condition === "none") return "nothing else";
  const clients = `${slowClients} client${slowClients === 1 ? "" : "s"}`;
  const how = condition === "sync" ? "held" : "awaited";
  return `${clients} calling /wait-${condition} (${waitMs} ms ${how})`;
}

const signed = (n: number | null | undefined) =>
  n === null || n === undefined ? "–" : `${n <= -0.005 ? "−" : "+"}${ms(Math.abs(n))}`;

function cellsOf(results: BlockingResults, r: BlockingRow): string[] {
  const head = [serverOf(r.processes), whileLabel(results, r.condition)];
  if (r.skipped) return [...head, `skipped: ${r.skipped}`, "", "", "", "", "", ""];
  const failed = (r.errors ?? 0) + (r.non2xx ?? 0) + (r.slowErrors ?? 0);
  return [
    ...head,
    `${Math.round(r.requestsPerSec!).toLocaleString("en-US")}${failed > 0 ? ` (${failed} failed)` : ""}`,
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.condition === "none" ? "" : signed(r.addedP50Ms),
    r.condition === "none" ? "" : signed(r.addedP99Ms),
    r.slowCallsPerSec === undefined ? "" : r.slowCallsPerSec.toFixed(1),
    r.slowCallMs === undefined ? "" : ms(r.slowCallMs),
  ];
}

export function blockingNotes(results: BlockingResults): string[] {
  const s = results.settings;
  const pace = s.ratePerSec
    ? `at about ${s.ratePerSec.toLocaleString("en-US")} requests per second over ${s.connections} connections (each connection pauses between its requests)`
    : `over ${s.connections} connections, each sending its next request as soon as the last is answered (${results.tool.version} cannot hold a steady rate)`;
  return [
    `GET /index ${pace}, while nothing else runs, then while ${s.slowClients} client${s.slowClients === 1 ? " calls" : "s call"} a slow route, one call after another: ` +
      `/wait-sync runs a better-sqlite3 query calibrated at start-up to take about ${s.waitMs} ms, holding the event loop; ` +
      `/wait-async awaits a timer of ${s.waitMs} ms.`,
    "Each row: medians over the rounds; added: the row's p50 or p99 minus the same server's with nothing else running, " +
      "round by round, between windows that alternated (the median).",
  ];
}

export function blockingTextTable(results: BlockingResults): string {
  const body = results.rows.map((r) => cellsOf(results, r));
  return [
    plainText(BLOCKING_HEADERS, body, numeric),
    "",
    ...blockingNotes(results),
    measuredLine(results),
  ].join("\n");
}

/** Fills `bench:blocking-table` with the table, its notes and when it was measured. */
export function fillBlockingMarkers(text: string, results: BlockingResults, warn?: (line: string) => void) {
  const table = markdownText(
    BLOCKING_HEADERS,
    results.rows.map((r) => cellsOf(results, r)),
    numeric,
  );
  const block = tableBlock(table, blockingNotes(results), measuredLine(results), "blocking.json");
  return replaceMarkers(text, { "blocking-table": () => block }, warn);
}

/** Writes `benchmarks/blocking.json` and fills the blocking markers of every page in `docs`. */
export const writeBlockingDocs = (results: BlockingResults, docs: string) =>
  writeResultsDocs(docs, "blocking", results, (text) => fillBlockingMarkers(text, results));
