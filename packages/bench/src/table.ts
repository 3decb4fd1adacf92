import { AT_CEILING, type Ratio, type SummaryRow, type TourResults } from "./results.js";
import { scenarioNamed } from "./scenarios.js";
import { describeStore } from "./store.js";

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
/** Milliseconds to three figures; "–" when there is no latency (no answer in the window). */
export const ms = (n: number | null | undefined) =>
  n === null || n === undefined || !Number.isFinite(n)
    ? "–"
    : n >= 100
      ? n.toFixed(0)
      : n >= 10
        ? n.toFixed(1)
        : n.toFixed(2);
const BOUND = { "at-least": "> ", "at-most": "< " } as const;
const bound = (ratio: Ratio) => (ratio.bound ? BOUND[ratio.bound] : "");
export const times = (ratio: Ratio) =>
  bound(ratio) +
  (ratio.ratio >= 10
    ? `${ratio.ratio.toFixed(0)}×`
    : ratio.ratio >= 0.1
      ? `${ratio.ratio.toFixed(2)}×`
      : `${ratio.ratio.toFixed(3)}×`);
export const percent = (ratio: Ratio) =>
  ratio.ratio < 0.001
    ? `${ratio.bound === "at-least" ? "> " : "< "}0.1%`
    : `${bound(ratio)}${(ratio.ratio * 100).toFixed(ratio.ratio < 0.1 ? 1 : 0)}%`;

/** A rate below 1 / window, as the tables print it: "< 1", "< 0.25". */
export const below = (windowSec: number) => `< ${Number((1 / windowSec).toPrecision(2))}`;

/**
 * Requests per second, or what is known when no request was answered in the window:
 * "< 1 req/s (no answer within 1 s)", with "in 2 of 3 rounds" when only some rounds were silent.
 */
export function rate(row: SummaryRow): string {
  if (!row.roundsWithoutAnswer) return number(row.requestsPerSec);
  const some =
    row.roundsWithoutAnswer < row.rounds ? ` in ${row.roundsWithoutAnswer} of ${row.rounds} rounds` : "";
  if (row.noAnswerWithinSec)
    return `${below(row.noAnswerWithinSec)} req/s (no answer within ${row.noAnswerWithinSec} s${some})`;
  return `${number(row.requestsPerSec)} (no answer${some})`;
}

/** The mark of a row at the tool's ceiling, after its req/s. */
export const CEILING_MARK = "‡";
const rateCell = (row: SummaryRow) => `${rate(row)}${row.atToolCeiling ? ` ${CEILING_MARK}` : ""}`;

/** What the mark means, in one line, or undefined when no row carries it. */
export function ceilingNote(results: Pick<TourResults, "summary" | "toolCeiling">): string | undefined {
  const ceiling = results.toolCeiling;
  if (!ceiling || !results.summary.some((row) => row.atToolCeiling)) return undefined;
  return (
    `${CEILING_MARK} at the tool's ceiling: this row may measure the load generator, not the server ` +
    `(its req/s is within ${Math.round((1 - AT_CEILING) * 100)}% of, or above, what ${ceiling.tool} ` +
    `measures on raw node:http hello at ${ceiling.connections} connections: ${number(ceiling.requestsPerSec)})`
  );
}

export function labelOf(results: Pick<TourResults, "targets">, id: string): string {
  return results.targets.find((t) => t.id === id)?.label ?? id;
}

/** The scenario, with the condition for rows measured under background exports. */
export const scenarioOf = (row: SummaryRow) =>
  row.condition ? `${row.scenario} (${row.condition})` : row.scenario;

/** The cells of one summary row, as both the terminal and the docs print them. */
export function cells(results: Pick<TourResults, "targets">, row: SummaryRow): string[] {
  return [
    scenarioOf(row),
    labelOf(results, row.target),
    rateCell(row),
    ms(row.p50Ms),
    ms(row.p99Ms),
    `${row.errors.toLocaleString("en-US")} / ${row.non2xx.toLocaleString("en-US")}`,
    row.vsPrevious ? `${times(row.vsPrevious)} (${row.vsPrevious.to.slice(0, 2)})` : "",
    row.vsCeiling ? percent(row.vsCeiling) : "",
  ];
}

const numeric = (column: number) => column >= 2 && column <= 5;

/** The rows of the main table: every scenario measured on its own. */
export const plainRows = (rows: SummaryRow[]) => rows.filter((row) => !row.condition);
/** The rows measured under background exports (list-during-exports), one per server and condition. */
export const exportRows = (rows: SummaryRow[]) => rows.filter((row) => row.condition);

export const EXPORT_HEADERS = [
  "server",
  "while…",
  "GET /todo req/s",
  "p50 ms",
  "p99 ms",
  "exports completed",
  "errors / non-2xx",
];

const WHILE: Record<string, string> = {
  idle: "idle (no exports)",
  queue: "exports on the queue + 1 worker",
  inline: "the same exports inline (?inline=1)",
};

/** The cells of one row measured under exports; completed exports are per window (median of rounds). */
export function exportCells(results: Pick<TourResults, "targets">, row: SummaryRow): string[] {
  const failed = row.exportErrors ? ` (${row.exportErrors.toLocaleString("en-US")} failed)` : "";
  return [
    labelOf(results, row.target),
    WHILE[row.condition ?? ""] ?? row.condition ?? "",
    rateCell(row),
    ms(row.p50Ms),
    ms(row.p99Ms),
    `${number(row.exportsCompleted ?? Number.NaN)}${failed}`,
    `${row.errors.toLocaleString("en-US")} / ${row.non2xx.toLocaleString("en-US")}`,
  ];
}

/** A table for the terminal; a blank line between groups of rows whose first cell differs, if `grouped`. */
export function plainText(
  headers: string[],
  body: string[][],
  isNumeric: (column: number) => boolean,
  grouped = true,
) {
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const format = (row: string[]) =>
    row
      .map((cell, i) => (isNumeric(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  const lines = [format(headers), widths.map((w) => "─".repeat(w)).join("  ")];
  body.forEach((row, i) => {
    if (grouped && i > 0 && row[0] !== body[i - 1]![0]) lines.push("");
    lines.push(format(row));
  });
  return lines.join("\n");
}

/** A table in Markdown, numeric columns aligned right. */
export function markdownText(headers: string[], body: string[][], isNumeric: (column: number) => boolean) {
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const align = headers.map((_, i) => (isNumeric(i) ? "---:" : "---"));
  return [line(headers), line(align), ...body.map(line)].join("\n");
}

/** The line above every table with stages 03+ in it: which store they ran on, so no reader guesses. */
export const storeLine = (results: Pick<TourResults, "settings" | "targets">) =>
  results.targets.some((t) => t.stage >= 3)
    ? `stages 03+ on ${describeStore(results.settings.store)}`
    : undefined;

/**
 * A plain-text table for the terminal, one block per scenario, then the rows measured under
 * background exports in a table of their own; the store heads it when stages 03+ are in it.
 */
export function textTable(
  results: Pick<TourResults, "targets" | "summary" | "settings" | "toolCeiling"> &
    Partial<Pick<TourResults, "skipped">>,
): string {
  const main = plainRows(results.summary);
  const exporting = exportRows(results.summary);
  const parts: string[] = [];
  if (main.length > 0 || exporting.length === 0) {
    parts.push(
      plainText(
        HEADERS,
        main.map((row) => cells(results, row)),
        numeric,
      ),
    );
  }
  // a scenario left out everywhere (nginx missing, too few open files) has no rows: one line says why
  const skippedScenarios = (results.skipped ?? []).filter((s) => scenarioNamed(s.id));
  if (skippedScenarios.length > 0) {
    parts.push(skippedScenarios.map((s) => `${s.id}  skipped: ${s.reason}`).join("\n"));
  }
  if (exporting.length > 0) {
    parts.push(
      "GET /todo while exports run:\n" +
        plainText(
          EXPORT_HEADERS,
          exporting.map((row) => exportCells(results, row)),
          (column) => column >= 2 && column <= 5,
        ),
    );
  }
  const store = storeLine(results);
  const note = ceilingNote(results);
  return `${store ? `${store}\n` : ""}${parts.join("\n\n")}${note ? `\n\n${note}` : ""}`;
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

/** The rows measured under background exports, in Markdown. */
export function exportMarkdownTable(results: Pick<TourResults, "targets">, rows: SummaryRow[]): string {
  const line = (row: string[]) => `| ${row.join(" | ")} |`;
  const align = EXPORT_HEADERS.map((_, i) => (i >= 2 && i <= 5 ? "---:" : "---"));
  return [line(EXPORT_HEADERS), line(align), ...rows.map((row) => line(exportCells(results, row)))].join(
    "\n",
  );
}
