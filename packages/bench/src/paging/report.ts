import { tableBlock, writeResultsDocs } from "../bench-command.js";
import { measuredLine } from "../halves.js";
import { replaceMarkers } from "../markers.js";
import { median } from "../results.js";
import { markdownText, ms, plainText } from "../table.js";
import { type PagingMeasurement, REQUESTS, type RequestId } from "./measure.js";

/** One answer: its size, and medians over the rounds, or why it has no numbers. */
export interface PagingRow {
  request: RequestId;
  path: string;
  todos?: number;
  bytes?: number;
  skipped?: string;
  rounds?: number;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  non2xx?: number;
}

export interface PagingResults extends Omit<PagingMeasurement, "failures" | "runs"> {
  schema: "zero-to-one/paging@1";
  rows: PagingRow[];
  /** The page against every todo, round by round (the median): req/s ×, and p50 as a share. */
  pageVsAll: { rpsRatio: number | null; p50Ratio: number | null };
  failures: PagingMeasurement["failures"];
  runs: PagingMeasurement["runs"];
}

export function summarizePaging(m: PagingMeasurement): PagingResults {
  const rows = REQUESTS.map(({ id, path }): PagingRow => {
    const answer = m.answers.find((a) => a.request === id);
    const size = answer ? { todos: answer.todos, bytes: answer.bytes } : {};
    const mine = m.runs.filter((r) => r.request === id);
    if (mine.length < m.settings.rounds || mine.length === 0) {
      const failed = m.failures.find((f) => f.id === id) ?? m.failures[0];
      return { request: id, path, ...size, skipped: failed?.reason ?? "not measured in every round" };
    }
    return {
      request: id,
      path,
      ...size,
      rounds: mine.length,
      requestsPerSec: median(mine.map((r) => r.requestsPerSec)),
      p50Ms: median(mine.map((r) => r.p50Ms ?? Number.NaN)),
      p99Ms: median(mine.map((r) => r.p99Ms ?? Number.NaN)),
      errors: mine.reduce((sum, r) => sum + r.errors, 0),
      non2xx: mine.reduce((sum, r) => sum + r.non2xx, 0),
    };
  });
  const paired = (ratio: (page: number, all: number) => number, metric: "requestsPerSec" | "p50Ms") => {
    if (rows.some((r) => r.skipped)) return null;
    const ratios = m.runs
      .filter((r) => r.request === "page")
      .flatMap((page) => {
        const all = m.runs.find((r) => r.request === "all" && r.round === page.round);
        return all?.[metric] && page[metric] ? [ratio(page[metric], all[metric])] : [];
      });
    return ratios.length === m.settings.rounds ? median(ratios) : null;
  };
  const { failures, runs, ...rest } = m;
  return {
    schema: "zero-to-one/paging@1",
    ...rest,
    rows,
    pageVsAll: {
      rpsRatio: paired((p, a) => p / a, "requestsPerSec"),
      p50Ratio: paired((p, a) => p / a, "p50Ms"),
    },
    failures,
    runs,
  };
}

export const PAGING_HEADERS = [
  "request",
  "todos",
  "response bytes",
  "req/s",
  "p50 ms",
  "p99 ms",
  "errors / non-2xx",
];
const numeric = (column: number) => column >= 1;
const whole = (n: number | undefined) => (n === undefined ? "–" : Math.round(n).toLocaleString("en-US"));

function cellsOf(r: PagingRow): string[] {
  const head = [`GET ${r.path}`, whole(r.todos), whole(r.bytes)];
  if (r.skipped) return [...head, `skipped: ${r.skipped}`, "", "", ""];
  return [...head, whole(r.requestsPerSec), ms(r.p50Ms), ms(r.p99Ms), `${r.errors} / ${r.non2xx}`];
}

export function pagingNotes(results: PagingResults): string[] {
  const s = results.settings;
  const notes = [
    `One server, one SQLite file: ${s.rows.toLocaleString("en-US")} todos written by stage 03's seed script, no index on created_at ` +
      "(as in stage 03), both answers newest first in the stages' JSON. Each request sorts the table; " +
      "the page keeps ten rows of it and serializes ten.",
  ];
  const { rpsRatio, p50Ratio } = results.pageVsAll;
  if (rpsRatio !== null && p50Ratio !== null) {
    notes.push(
      `The page against every todo: ${rpsRatio >= 10 ? rpsRatio.toFixed(0) : rpsRatio.toFixed(1)}× the requests per second, ` +
        `${(p50Ratio * 100).toFixed(p50Ratio < 0.1 ? 1 : 0)}% of the median latency (each round's own ratio, between windows that alternated; the median).`,
    );
  }
  return notes;
}

export function pagingTextTable(results: PagingResults): string {
  return [
    plainText(PAGING_HEADERS, results.rows.map(cellsOf), numeric),
    "",
    ...pagingNotes(results),
    measuredLine(results),
  ].join("\n");
}

/** Fills `bench:paging-table` with the table, its notes and when it was measured. */
export function fillPagingMarkers(text: string, results: PagingResults, warn?: (line: string) => void) {
  const table = markdownText(PAGING_HEADERS, results.rows.map(cellsOf), numeric);
  const block = tableBlock(table, pagingNotes(results), measuredLine(results), "paging.json");
  return replaceMarkers(text, { "paging-table": () => block }, warn);
}

/** Writes `benchmarks/paging.json` and fills the paging markers of every page in `docs`. */
export const writePagingDocs = (results: PagingResults, docs: string) =>
  writeResultsDocs(docs, "paging", results, (text) => fillPagingMarkers(text, results));
