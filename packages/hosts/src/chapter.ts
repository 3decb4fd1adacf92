import { join } from "node:path";
import { tableBlock, writeResultsDocs } from "@zero-to-one/bench/dist/bench-command.js";
import { replaceMarkers } from "@zero-to-one/bench/dist/markers.js";
import type { DrillRow } from "./drill.js";
import type { DrillResults } from "./drills-run.js";
import type { ScaleResults, ScaleRow, ScenarioCpu } from "./scale.js";
import { REPO_ROOT } from "./state.js";
import { WHOLE_FOR_MS } from "./tally.js";

/** Where `--docs` writes: chapter 09 in both languages has the markers, docs/benchmarks the JSON. */
export const DOCS_DIR = join(REPO_ROOT, "docs");

const markdownTable = (header: string[], numericFrom: number, rows: string[][]) => {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(header),
    line(header.map((_, i) => (i >= numericFrom ? "---:" : "---"))),
    ...rows.map(line),
  ].join("\n");
};

const seconds = (s: number) => `${s.toFixed(1)} s`;
const thousands = (n: number) => Math.round(n).toLocaleString("en-US");

const DRILL_HEADER = [
  "drill",
  "requests",
  "5xx",
  "429",
  "401",
  "other 4xx",
  "no answer",
  "whole after",
  "slowest",
  "acknowledged writes",
  "lost",
  "lost since backup",
  "exports",
  "lost",
  "run twice",
];

const drillCells = (r: DrillRow) => [
  `\`${r.drill}\``,
  thousands(r.requests),
  String(r.errors["5xx"]),
  String(r.errors["429"]),
  String(r.errors["401"]),
  String(r.errors["4xx"]),
  String(r.errors.network),
  r.wholeAfterS === null ? "never" : seconds(r.wholeAfterS),
  seconds(r.slowestS),
  thousands(r.acknowledgedWrites),
  String(r.writesLost),
  r.lostSinceBackup === undefined ? "–" : String(r.lostSinceBackup),
  String(r.jobs),
  String(r.jobsLost),
  String(r.jobsRunTwice),
];

const drillNotes = (r: DrillResults) => [
  `requests: sent by the load, ${r.loadPerSec} a second from signed-in clients through the lb (creates, first pages, single todos, exports); the next columns are the errors they got, by kind (401: a session lost; no answer: refused, reset or timed out)`,
  `whole after: from the failure until every request succeeded again, for at least ${WHOLE_FOR_MS / 1000} s in a row; slowest: the longest a request waited for its answer, error or not`,
  "acknowledged writes: creates answered 201; lost: those not in the primary database afterwards, read directly (must be 0); lost since backup, for the restore only: acknowledged after the backup began and gone after the restore, what a backup alone loses",
  "exports: answered 202; lost: never completed (must be 0); run twice: started again after a worker or Redis failed, which writes the same file again",
];

const drillsMeasured = (r: DrillResults) =>
  `${r.when.slice(0, 10)}, ${r.cores} cores (${r.cpuModel}) shared by every host, Node ${r.node}; stage ${r.stage} on ${r.apiHosts} API hosts; ` +
  `the drills' settings: ${Object.entries(r.settings.appEnv)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ")}, the lb's rate limits raised`;

/** The `bench:drills` block: one row per drill, what the columns mean, and on what it ran. */
export const drillsBlock = (r: DrillResults) =>
  tableBlock(
    markdownTable(DRILL_HEADER, 1, r.rows.map(drillCells)),
    drillNotes(r),
    drillsMeasured(r),
    "drills.json",
  );

const SCALE_HEADER = ["scenario", "API hosts", "req/s", "× one host", "p99 ms", "errors", "non-2xx"];

const scaleCells = (row: ScaleRow) => [
  `\`${row.scenario}\``,
  String(row.apiHosts),
  thousands(row.requestsPerSec),
  `${row.ratio.toFixed(2)}×`,
  String(row.p99Ms),
  String(row.errors),
  String(row.non2xx),
];

/** Where the CPU went during one scenario with every API host: the reason for its numbers above. */
const cpuTable = (shares: ScenarioCpu["shares"]) =>
  markdownTable(
    ["part (host and program)", "cores used", "its cap"],
    1,
    shares
      .filter((share) => share.cores >= 0.01)
      .map((share) => [
        share.part,
        share.cores.toFixed(2),
        share.cap === undefined ? "–" : String(share.cap),
      ]),
  );

/** What more API hosts did for a scenario, in words: the table's ratio, read. */
function gain(r: ScaleResults, scenario: ScenarioCpu["scenario"]) {
  const most = r.rows.filter((row) => row.scenario === scenario).at(-1);
  if (!most || most.apiHosts === 1) return "";
  const ratio = `${most.ratio.toFixed(2)}×`;
  const verdict =
    most.ratio >= 1.1
      ? "more hosts added capacity"
      : most.ratio > 0.9
        ? "more hosts added nothing"
        : "more hosts made it slower";
  return `${most.apiHosts} API hosts answered ${ratio} what one did: ${verdict}.`;
}

/** A scenario's CPU table with what the program reads from it, each scenario after the other. */
const cpuSections = (r: ScaleResults) =>
  r.cpuWithAllHosts.flatMap(({ scenario, shares, bottleneck }) => [
    [
      `**\`${scenario}\`**:`,
      gain(r, scenario),
      `Where the CPU went while all ${Object.keys(r.caps).length} API hosts took it (on average):`,
    ]
      .filter(Boolean)
      .join(" "),
    cpuTable(shares),
    `\`${scenario}\`: ${bottleneck}.`,
  ]);

const scaleNotes = (r: ScaleResults) => [
  `req/s: through the lb over HTTPS, the median of ${r.rounds} rounds that alternate the configurations; × one host: against the same scenario with one API host; errors: no answer; non-2xx: any other status`,
  "list: the first page, signed in (`GET /todo`); mixed: the tour's write mix, 8 reads to 1 create and 1 finish",
  `each API host is capped at ${r.cpuCap} of a core (a cgroup's CPU quota); the lb, Redis, the databases and the load generator are not capped, and share the same ${r.cores} cores`,
  r.delay,
  `throttled periods (how often a cap held its host back): ${Object.entries(r.throttledPeriods)
    .map(([api, n]) => `${api} ${n}`)
    .join(", ")}`,
];

const scaleMeasured = (r: ScaleResults) =>
  `${r.when.slice(0, 10)}, ${r.cores} cores (${r.cpuModel}), Node ${r.node}, ${r.tool}, ${r.connections} connections, ${r.rounds} rounds × ${r.durationSec} s per configuration; stage ${r.stage}`;

/** The `bench:scale` block: req/s by API hosts; for each scenario, where the CPU went and the next bottleneck it names; on what it ran. */
export const scaleBlock = (r: ScaleResults) =>
  tableBlock(
    [markdownTable(SCALE_HEADER, 1, r.rows.map(scaleCells)), ...cpuSections(r)].join("\n\n"),
    scaleNotes(r),
    scaleMeasured(r),
    "scale.json",
  );

/** Writes docs/benchmarks/drills.json and the drills' table in chapter 09 (both languages); returns the files written. */
export const writeDrillsDocs = (results: DrillResults, docs = DOCS_DIR) =>
  writeResultsDocs(docs, "drills", results, (text) =>
    replaceMarkers(text, { drills: () => drillsBlock(results) }),
  );

/** Writes docs/benchmarks/scale.json and the scale table in chapter 09 (both languages); returns the files written. */
export const writeScaleDocs = (results: ScaleResults, docs = DOCS_DIR) =>
  writeResultsDocs(docs, "scale", results, (text) =>
    replaceMarkers(text, { scale: () => scaleBlock(results) }),
  );
