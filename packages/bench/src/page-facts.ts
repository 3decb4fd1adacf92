import { formatSeconds } from "@zero-to-one/server-kit";
import { DEFAULTS } from "./published.js";
import { AT_CEILING, type TourResults } from "./results.js";
import { scenarioNamed } from "./scenarios.js";
import { exportRows, labelOf } from "./table.js";

/**
 * What the benchmarks page says about a run, whatever its language: the pages in docs/ and docs/zh/
 * word it differently but read it from here, so they never disagree.
 */
export function pageFacts(r: TourResults) {
  const s = r.settings;
  const exportRuns = r.runs.filter((run) => run.condition);
  return {
    clusterStages: r.targets.some((t) => t.kind === "stage" && t.stage >= 5),
    startups: r.targets.map((t) => `- \`${t.label}\`: \`${t.startup || "(no start-up line)"}\``).join("\n"),
    /** A row had no answer in a window: the page explains the `<` it prints. */
    silentRows: r.summary.some((row) => row.roundsWithoutAnswer),
    /** The longest stretch a window gave a server to answer: one half, or the whole window. */
    answerWindowSec: s.halfSec ?? s.durationSec,
    exporting: exportRows(r.summary),
    ceilingPercent: Math.round((1 - AT_CEILING) * 100),
    atCeiling: r.summary
      .filter((row) => row.atToolCeiling)
      .map((row) => ({ scenario: row.scenario, label: labelOf(r, row.target) })),
    exportConnections: exportRuns[0]?.connections ?? 10,
    exportRate: exportRuns[0]?.ratePerSec,
    /** The rate wrk and k6 hold while exports run. */
    steadyRate: scenarioNamed("list-during-exports")?.exports?.ratePerSec ?? 0,
    nginx: r.runs.find((run) => run.via)?.via,
    flask: r.targets.some((t) => t.id.startsWith("flask")),
  };
}

export type PageFacts = ReturnType<typeof pageFacts>;

const TOUR_RUN = `<!-- docs:run help="npm run tour" because="a tour takes minutes and measures: the test checks that the tour takes these options" -->`;

/** The page's code blocks, the same bytes in every language. */
export const codeBlocks = {
  tour: `${TOUR_RUN}
\`\`\`sh
npm run tour
\`\`\``,

  runningIt: (r: TourResults) => `${TOUR_RUN}
\`\`\`sh
npm run tour                                   # every built stage, ${DEFAULTS.rounds} rounds, ${DEFAULTS.durationSec} s per scenario (this run: ${formatSeconds(r.wallSec)})
npm run tour -- --stages 03,04 --scenarios list-deep-offset,list-deep-keyset
npm run tour -- --stages 07 --scenarios list-during-exports   # GET /todo while exports run
npm run tour -- --tool wrk --stages 05,06 --scenarios list,list-c1000   # the article's 1,000 connections through nginx
npm run tour -- --rounds 1 --duration 2        # a quick look
npm run tour -- --tool wrk                     # the article's tool
npm run tour -- --store mongo --stages 03,04   # on MONGO_URL, or else a throwaway FerretDB
npm run tour -- --no-docs                      # never touch docs/
\`\`\``,

  k6: `\`\`\`sh
k6 run -e BASE_URL=http://127.0.0.1:8000 -e SCENARIO=list-deep-offset -e ROWS=10000 packages/bench/k6/tour.ts
\`\`\``,

  markers: `\`\`\`md
<!-- bench:table 04 -->
(a table of stage 04's rows: scenario, req/s, p99, vs stage before)
<!-- /bench:table -->

The keyset page answers <!-- bench:value 04 list-deep-keyset rps -->…<!-- /bench:value --> requests per second.
\`\`\``,
};
