import type { SummaryRow, TourResults } from "./results.js";

export const HEADERS = [
  "scenario",
  "server",
  "req/s",
  "p50 ms",
  "p99 ms",
  "errors / non-2xx",
  "vs stage before",
  "vs raw node:http",
];

const number = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "–");
export const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
export const times = (ratio: number) =>
  ratio >= 10 ? `${ratio.toFixed(0)}×` : ratio >= 0.1 ? `${ratio.toFixed(2)}×` : `${ratio.toFixed(3)}×`;
const percent = (ratio: number) => `${(ratio * 100).toFixed(ratio < 0.1 ? 1 : 0)}%`;

export function labelOf(results: Pick<TourResults, "targets">, id: string): string {
  return results.targets.find((t) => t.id === id)?.label ?? id;
}

/** The cells of one summary row, as both the terminal and the docs print them. */
export function cells(results: Pick<TourResults, "targets">, row: SummaryRow): string[] {
  return [
    row.scenario,
    labelOf(results, row.target),
    number(row.requestsPerSec),
    ms(row.p50Ms),
    ms(row.p99Ms),
    `${row.errors.toLocaleString("en-US")} / ${row.non2xx.toLocaleString("en-US")}`,
    row.vsPrevious ? `${times(row.vsPrevious.ratio)} (${row.vsPrevious.to.slice(0, 2)})` : "",
    row.vsCeiling ? percent(row.vsCeiling.ratio) : "",
  ];
}

const numeric = (column: number) => column >= 2 && column <= 5;

/** A plain-text table for the terminal, one block per scenario. */
export function textTable(results: Pick<TourResults, "targets" | "summary">): string {
  const body = results.summary.map((row) => cells(results, row));
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => (numeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const lines = [format(HEADERS), widths.map((w) => "─".repeat(w)).join("  ")];
  body.forEach((row, i) => {
    if (i > 0 && row[0] !== body[i - 1]![0]) lines.push("");
    lines.push(format(row));
  });
  return lines.join("\n");
}

/** The same table in Markdown. */
export function markdownTable(
  results: Pick<TourResults, "targets">,
  rows: SummaryRow[],
  headers = HEADERS,
  pick: (cells: string[]) => string[] = (c) => c,
): string {
  const align = pick(headers.map((_, i) => (numeric(i) ? "---:" : "---")));
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  return [line(pick(headers)), line(align), ...rows.map((row) => line(pick(cells(results, row))))].join("\n");
}
