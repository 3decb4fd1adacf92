import type { SummaryRow, TourResults } from "./results.js";
import { markdownText, plainText } from "./table.js";

/**
 * The article's wrk runs, as it printed them (wrk -t 12 -d 5s, its machine unknown), and the tour's
 * rows that take the same step. The figures are the article's `Requests/sec` lines; tables quote
 * their whole part (1,128 for 1128.72), the way the article's own text does.
 */
export interface ArticleStep {
  /** What the article changed in this step. */
  step: string;
  article: {
    requestsPerSec: number;
    connections: 100 | 1000;
    /** wrk's `Socket errors` (read + timeout) and `Non-2xx or 3xx responses`, when it printed them. */
    errors?: number;
    non2xx?: number;
  };
  /** Our row for the step: a stage number ("05") or a reference target id, and a scenario. */
  ours: RowRef;
  /** Our row the step is measured against; the previous step's `ours` when absent. */
  oursBefore?: RowRef;
}

export interface RowRef {
  target: string;
  scenario: string;
}

export const ARTICLE_CHAIN: readonly ArticleStep[] = [
  {
    step: "MongoDB, a page of 10, no index",
    article: { requestsPerSec: 43.2, connections: 100, errors: 87 },
    ours: { target: "03", scenario: "list" },
  },
  {
    step: "an index on the sort key",
    article: { requestsPerSec: 298.34, connections: 100 },
    ours: { target: "04", scenario: "list" },
  },
  {
    step: "gunicorn: pre-forked sync workers",
    article: { requestsPerSec: 863.35, connections: 100 },
    ours: { target: "05", scenario: "list" },
  },
  {
    step: "async workers (meinheld; here gevent)",
    article: { requestsPerSec: 1128.72, connections: 100 },
    ours: { target: "flask-gevent", scenario: "list" },
    oursBefore: { target: "flask-gunicorn", scenario: "list" },
  },
  {
    step: "nginx in front, 1,000 connections",
    article: { requestsPerSec: 892.04, connections: 1000, errors: 297 + 36, non2xx: 289 },
    ours: { target: "05", scenario: "list-c1000" },
    oursBefore: { target: "05", scenario: "list" },
  },
  {
    step: "the page cached in Redis, 1,000 connections",
    article: { requestsPerSec: 2992.79, connections: 1000, errors: 382, non2xx: 207 },
    ours: { target: "06", scenario: "list-c1000" },
  },
];

/** One line of the side-by-side table; `undefined` where the tour did not measure the row. */
export interface ChainLine {
  step: string;
  article: ArticleStep["article"];
  /** The article's step against its step before. */
  articleRatio?: number;
  ours?: SummaryRow;
  oursLabel: string;
  oursRatio?: number;
}

const rowOf = (results: Pick<TourResults, "targets" | "summary">, ref: RowRef) => {
  const target = /^\d{1,2}$/.test(ref.target)
    ? results.targets.find((t) => t.kind === "stage" && t.stage === Number(ref.target))
    : results.targets.find((t) => t.id === ref.target);
  const row = results.summary.find(
    (r) => r.target === target?.id && r.scenario === ref.scenario && !r.condition,
  );
  return { row, label: `${target?.label ?? refLabel(ref.target)}, ${ref.scenario}` };
};

const refLabel = (target: string) => (/^\d{1,2}$/.test(target) ? `stage ${target}` : target);

/** Lines the article's chain up with this run; rows without answers count as not measured. */
export function articleChain(results: Pick<TourResults, "targets" | "summary">): ChainLine[] {
  return ARTICLE_CHAIN.map((step, i) => {
    const before = ARTICLE_CHAIN[i - 1];
    const ours = rowOf(results, step.ours);
    const oursBefore = rowOf(results, step.oursBefore ?? before?.ours ?? step.ours);
    const measured = (row: SummaryRow | undefined) =>
      row && !row.noAnswerWithinSec && row.requestsPerSec > 0 ? row : undefined;
    const now = measured(ours.row);
    const then = i === 0 && !step.oursBefore ? undefined : measured(oursBefore.row);
    return {
      step: step.step,
      article: step.article,
      ...(before ? { articleRatio: step.article.requestsPerSec / before.article.requestsPerSec } : {}),
      ...(now ? { ours: now } : {}),
      oursLabel: ours.label,
      ...(now && then ? { oursRatio: now.requestsPerSec / then.requestsPerSec } : {}),
    };
  });
}

export const CHAIN_HEADERS = [
  "the article's step",
  "article req/s",
  "× step before",
  "our row",
  "our req/s",
  "× step before",
];

const whole = (n: number) => Math.trunc(n).toLocaleString("en-US");
const ratio = (n: number | undefined) => (n === undefined ? "–" : `${n.toFixed(n >= 10 ? 0 : 2)}×`);
const withErrors = (rps: string, errors?: number, non2xx?: number) =>
  errors || non2xx ? `${rps} (${whole(errors ?? 0)} errors, ${whole(non2xx ?? 0)} non-2xx)` : rps;

export function chainCells(line: ChainLine): string[] {
  const a = line.article;
  return [
    line.step,
    withErrors(whole(a.requestsPerSec), a.errors, a.non2xx),
    ratio(line.articleRatio),
    line.oursLabel,
    line.ours
      ? withErrors(
          Math.round(line.ours.requestsPerSec).toLocaleString("en-US"),
          line.ours.errors,
          line.ours.non2xx,
        )
      : "not measured in this run",
    ratio(line.oursRatio),
  ];
}

const numericColumn = (column: number) => column === 1 || column === 2 || column >= 4;

/** The chain for the terminal, under the tour's table. */
export function chainText(results: Pick<TourResults, "targets" | "summary">): string {
  const lines = articleChain(results);
  return `The article's steps beside ours (its machine is unknown: compare the ratios, not the req/s):\n${plainText(
    CHAIN_HEADERS,
    lines.map(chainCells),
    numericColumn,
    false,
  )}`;
}

/** The chain in Markdown, for docs/benchmarks.md. */
export function chainMarkdown(results: Pick<TourResults, "targets" | "summary">): string {
  return markdownText(CHAIN_HEADERS, articleChain(results).map(chainCells), numericColumn);
}
