import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatSeconds } from "@zero-to-one/server-kit";
import { chainMarkdown } from "./article.js";
import { benchmarksPageZh } from "./docs-zh.js";
import { renderChart } from "./chart.js";
import { prettyJson } from "./json.js";
import { fillMarkersIn, replaceMarkers } from "./markers.js";
import { DEFAULTS } from "./published.js";
import { AT_CEILING, type SummaryRow, type TourResults } from "./results.js";
import { pageFacts, codeBlocks } from "./page-facts.js";
import { SCENARIOS } from "./scenarios.js";
import { describeStore } from "./store.js";
import {
  CEILING_MARK,
  HEADERS,
  below,
  exportMarkdownTable,
  markdownTable,
  ms,
  plainRows,
  storeLine,
  times,
} from "./table.js";

/**
 * Writes what the docs folder (`docs/`) shows from a tour: the committed copy of the results, the
 * chart, the benchmarks page in English and in Chinese (`docs/zh/`), and the numbers between markers
 * in the chapters of both. Returns the files written.
 */
export function writeDocs(results: TourResults, docs: string): string[] {
  const assets = join(docs, "benchmarks");
  const zh = join(docs, "zh");
  mkdirSync(assets, { recursive: true });
  mkdirSync(zh, { recursive: true });
  const written = [
    join(assets, "results.json"),
    join(assets, "chart.svg"),
    join(docs, "benchmarks.md"),
    join(zh, "benchmarks.md"),
  ];
  writeFileSync(written[0]!, prettyJson(results));
  writeFileSync(written[1]!, renderChart(results));
  writeFileSync(written[2]!, benchmarksPage(results));
  writeFileSync(written[3]!, benchmarksPageZh(results));
  written.push(...fillMarkersIn(docs, (text) => fillMarkers(text, results), ["benchmarks.md"]));
  return written;
}

export function measuredOn(results: TourResults): string {
  const m = results.machine;
  const s = results.settings;
  // SQLite is the default every chapter assumes; any other store is named where the numbers are
  const line = storeLine(results);
  const store = s.store.kind === "sqlite" || !line ? "" : `, ${line}`;
  return (
    `${results.date.slice(0, 10)}, ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ` +
    `${results.tool.version}, ${s.connections} connections, median of ${s.rounds} round${s.rounds === 1 ? "" : "s"} ` +
    `× ${s.durationSec} s, ${s.rows.toLocaleString("en-US")} todos${store}`
  );
}

/** The order of a round's windows, as this run measured them. */
function orderOf(r: TourResults): string {
  const s = r.settings;
  const warmup = s.warmupSec > 0 ? `${s.warmupSec} s of warm-up load with autocannon (not counted)` : "";
  const scenarios = `at ${s.connections} connections, as in the article's \`wrk -c100\`. The read-only scenarios run first,
  then \`mixed\`, then \`create\`, so no write changes what a read-only scenario sees.`;
  const abba = (half: string) => `each server's window is measured as two
  halves of ${half}: the first half of every server that runs the scenario, then the second halves in
  reverse order (A₁ B₁ C₁ … C₂ B₂ A₂). A row adds its halves up (requests and time; its latencies are
  the halves' weighted by their requests, and \`halvesPerSec\` in the results keeps each half's req/s).
  Every server's two halves sit at the same mean time, so a load on the shared machine that grows or
  fades during the pass weighs on each server alike: a ratio the table prints, to the stage before or to
  the raw reference, compares windows that alternated, not one minute with another. Every other round
  reverses the servers, so none always opens and closes a pass. All the servers of a round run at once
  (idle but for the one under load) and are stopped after its last scenario. \`list-during-exports\` is
  the exception: one server, its three conditions measured whole, one after another.`;
  if (!s.order) {
    return `- ${warmup ? `Before each scenario, ${warmup}; then` : "No warm-up;"} ${s.durationSec} s of measured load
  ${scenarios}
- **This run predates the alternating order.** Each round measured one server on all its scenarios
  before it started the next (every other round in reverse order), so a ratio between two rows compares
  windows a minute or more apart. The tour now alternates the servers of each scenario in ABBA halves
  (\`packages/bench/src/order.ts\`): within a round, ${abba("⌈window / 2⌉ s (2 s by default)")}`;
  }
  return `- ${s.durationSec} s of measured load per server and scenario in each round, ${scenarios}
- **The servers of a scenario take turns, in ABBA halves** (\`packages/bench/src/order.ts\`): within a
  round, ${abba(`${s.halfSec ?? s.durationSec / 2} s`)}${warmup ? ` Before its first half, each server got ${warmup}.` : ""}`;
}

/** How the tool's ceiling was measured, and why the tour trusts it. */
function ceilingMethod(r: TourResults): string {
  const c = r.toolCeiling;
  const why = `A load generator has a ceiling of its own on a machine: the fastest answers it can count. The
  tour takes it to be what its tool measures on the raw \`node:http\` hello
  (\`packages/bench/src/reference/hello.ts\`: one comparison and a body serialized once) at the
  tour's connections. The \`hello\` rows of \`raw node:http hello\` are exactly that measurement — the same
  server, tool and connections, in every round — so the tour reuses them (the median of their rounds)
  rather than measure it twice; a tour that leaves \`hello\` out measures it once, before its rounds.
  Any row, of any server and scenario, whose req/s is within ${Math.round((1 - AT_CEILING) * 100)}% of the ceiling, or above it, is marked
  ${CEILING_MARK} here, in the terminal's table and in the results (\`atToolCeiling\`): it may measure the load
  generator, not the server, and a ratio to it says less than it seems to.`;
  if (!c) return `${why} This run has no such measurement.`;
  return `${why} In this run: ${Math.round(c.requestsPerSec).toLocaleString("en-US")} req/s with ${c.tool} at ${c.connections} connections
  (${c.from === "hello rows" ? `the ${c.rounds} \`hello\` round${c.rounds === 1 ? "" : "s"} of \`raw node:http hello\`` : "measured once"}).`;
}

function benchmarksPage(r: TourResults): string {
  const m = r.machine;
  const s = r.settings;
  const f = pageFacts(r);
  const skipped = r.skipped.length
    ? r.skipped.map((k) => `- ${k.id}: skipped, ${k.reason}`).join("\n")
    : "- none";
  const failures = r.failures.length
    ? r.failures.map((f) => `- ${f.id}: ${f.reason.split("\n")[0]}`).join("\n")
    : "- none";
  const store = describeStore(s.store);
  const storeNote =
    s.store.kind === "sqlite"
      ? `Stages 03 and later kept their todos in ${store}.`
      : s.store.product === "FerretDB"
        ? `**Stages 03 and later ran on ${s.store.label}, not on MongoDB** (${store}). FerretDB
answers MongoDB's wire protocol from storage of its own; its speed says nothing about MongoDB's.`
        : `**Stages 03 and later ran on ${store}**, not on the embedded SQLite default.`;
  const silentRows = f.silentRows
    ? `
- **${below(f.answerWindowSec)} req/s (no answer within ${f.answerWindowSec} s)**: not one request was answered in the measured
  window${s.halfSec ? " (in either of its halves)" : ""}: the server is slower than one answer per window at ${s.connections} connections. Such a row has no
  latencies, and its ratios are bounds (\`<\`, \`>\`); a longer \`--duration\` measures it.`
    : "";
  const ceiling = r.toolCeiling;
  const marked = f.atCeiling.map((row) => `${row.scenario} on ${row.label}`);
  const measuredLoad = f.exportRate
    ? `at a steady ${f.exportRate.toLocaleString("en-US")} requests per second over ${f.exportConnections} connections, not as
fast as the tool can: at full speed, p99 would measure the queue in front of a saturated server
rather than what the exports add`
    : `at ${f.exportConnections} connections as fast as they go (with ${r.tool.version}, which cannot hold a steady
rate: its limiter sends each second's requests at once; wrk and k6 run this scenario at a steady
${f.steadyRate.toLocaleString("en-US")} requests per second)`;
  const scenarioList = SCENARIOS.map(
    (sc) =>
      `- \`${sc.name}\` (stage ${String(sc.fromStage).padStart(2, "0")}${sc.toStage ? ` to ${String(sc.toStage).padStart(2, "0")}` : " on"}): ${sc.summary}`,
  ).join("\n");

  return `# Benchmarks

<!-- Generated by the benchmark tour (packages/bench/src/docs.ts) from docs/benchmarks/results.json. Do not edit by hand: run the tour again. -->

Every stage of zero-to-one, measured on the same machine, on the same data, in one run, next to two
raw \`node:http\` servers that mark the ceiling of the machine. One command produces this page:

${codeBlocks.tour}

**Measured on ${r.date.slice(0, 10)}** on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, ${m.os},
Node ${m.node}, with ${r.tool.version}: ${s.connections} connections, ${s.durationSec} s per scenario
after ${s.warmupSec} s of warm-up, the median of ${s.rounds} round${s.rounds === 1 ? "" : "s"}, ${s.rows.toLocaleString("en-US")}
todos seeded${f.clusterStages ? `, ${s.workers} workers for stages 05 and later` : ""}. The whole tour took
${formatSeconds(r.wallSec)}; the machine's 1-minute load average was ${m.loadAverage.start} when it started and ${m.loadAverage.end} when it ended
(it counts the tour's own server and load generator too). ${storeNote}

![Requests per second and p99 latency per stage and scenario](benchmarks/chart.svg)

## The numbers

${markdownTable(r, plainRows(r.summary))}

- **req/s**: completed requests per second, whatever their status; **p50 / p99**: latency in milliseconds.
- **errors / non-2xx**: socket errors and timeouts / answers outside 2xx, summed over the rounds. A
  fast row with many non-2xx answers is not fast.${silentRows}
- **vs stage before**: this row's req/s divided by the previous stage that ran the same scenario
  (the number in brackets). Above 1× the step paid off for this scenario; below 1× it cost something.
- **vs raw node:http**: this row's share of the reference server's req/s (\`hello\` against a bare
  \`node:http\` hello, \`list\` against a bare \`node:http\` server answering a page serialized once).
  The distance to the ceiling is the honest headline: it is what the framework, the store and the
  per-request JSON cost. The reference servers are single processes; from stage 05 on a stage runs
  one worker per core, so it can pass 100%.
- **${CEILING_MARK}**: at the load tool's ceiling. ${
    ceiling
      ? `The fastest server this tool can measure here, raw \`node:http\` hello, answered
  ${Math.round(ceiling.requestsPerSec).toLocaleString("en-US")} req/s; a row within ${f.ceilingPercent}% of that, or above it, may measure the load generator,
  not the server. ${marked.length > 0 ? `In this run: ${marked.join(", ")}.` : "No row of this run is."}`
      : "This run has no measurement of the tool's ceiling (see *How it was measured*), so no row is marked."
  }

## The article's steps, side by side

The article measured each of its steps with \`wrk -t 12 -d 5s\` on a machine it does not describe, in
2017. Its req/s and ours cannot be compared; the ratio of each step to the step before can. Each of
our rows takes the same step: the Flask rows (the article's own stack, run here) take the one step
that has no Node counterpart, and from nginx on the article and our \`list-c1000\` rows use 1,000
connections through nginx. Errors are socket errors and timeouts as the load tool counts them, non-2xx the answers outside
2xx. The article's async workers were meinheld's, which Debian does not package; ours are gevent's.

${chainMarkdown(r)}

## GET /todo while exports run (stage 07)

${
  f.exporting.length > 0
    ? exportMarkdownTable(r, f.exporting)
    : "This run did not measure it (see *Left out of this run* below)."
}

The lesson of stage 07 is a latency: how long an ordinary request waits while long tasks run. The
\`list-during-exports\` scenario measures the first page, \`GET /todo\`, ${measuredLoad}. It runs in three conditions, one after another in every round, each for ${s.durationSec} s: with nothing else running; while 2
clients export every todo through the queue, one export after another (\`POST /todo/export\`, polling
\`GET /jobs/:id\` every 100 ms, downloading the file), with one worker process (\`node dist/worker.js\`,
the API's \`REDIS_URL\`, \`DB_PATH\` and \`EXPORT_DIR\`) started beside the API for that condition and
stopped with SIGTERM after it; and while the same 2 clients run the same exports inline,
\`POST /todo/export?inline=1\`. **exports completed** is how many exports finished inside one measured
window (the median of the rounds), each checked to hold every seeded todo; an export load that
completes none is reported as a failure, not as a row. The worker shares the cores with the API and
the load generator, so the queue row is not quite idle. With autocannon and wrk each connection waits
for an answer before it sends its next request (k6 keeps to the rate regardless), so while a worker is stuck fewer requests are sent, and fewer are seen
waiting: if anything, the inline p99 is an underestimate. See [chapter 07](07-queue.md).

## The article's stack

When \`python3-flask\` and \`gunicorn\` are installed (\`apt-get install python3-flask gunicorn
python3-gevent\`), the tour also measures a small Flask app (\`packages/bench/flask/app.py\`, answering
\`hello\` and \`list\` from memory: at start-up it reads every todo stage 03's seed script wrote, the
same rows the stages hold) run the ways the article ran it: Flask's development server, gunicorn with
(2 × cores) + 1 sync workers, and gunicorn with as many async workers. The article's async workers
were meinheld's, which Debian does not package; the tour uses gevent's, the async worker Debian ships
(\`--worker-class gevent\`; without \`python3-gevent\` that row is skipped with one line). The
development server and the sync workers close the connection after every answer, as the article's
servers did. autocannon reports impossible latencies for such servers, so the Flask rows are measured
only with \`--tool wrk\` or k6; \`--no-flask\` leaves them out.
${f.flask ? "" : "\nThis run has no Flask rows (see *Left out of this run* below).\n"}
For comparison, the article measured 43 requests per second for its first page of ten on MongoDB without
an index, 298 with the index, 863 with 9 gunicorn workers and 1,128 with meinheld workers, on its
own machine in 2017.

## The scenarios

The scenarios are defined once (\`packages/bench/src/scenarios.ts\`) and every load tool runs the same
requests. Each applies from the first stage that has what it needs:

${scenarioList}

Stage 02 keeps its todos in memory and has no paging yet, so its \`list\` and \`mixed\` answer all
${s.rows.toLocaleString("en-US")} todos in every response; from stage 03 on, \`list\` is a page of ten.

## How it was measured

- Each stage was built and started as its own process (\`node dist/server.js\`), fresh for every round.
  Stages 03 and later were seeded first with their own \`node dist/seed.js --count ${s.rows} --reset\`
  into ${s.store.kind === "mongo" ? `a database of their own (\`zto_bench_03_mongo\`, …) on ${store}` : "a SQLite file in a temporary folder"}; stage 02 was filled through its own \`POST /todo\`.
  Stages 05 and later got \`WORKERS=${s.workers}\`; stages 06 and 07 got \`REDIS_URL\` or a throwaway
  \`redis-server\`.
- \`list-c1000\` went through nginx${f.nginx ? ` (${f.nginx})` : ""}, started for it in front of each stage with the stage's own
  \`nginx.conf\`, only its two ports moved, and stopped after it; before measuring, a \`GET /healthz\` sent
  to nginx had to come back from the stage. It uses 1,000 connections whatever \`--connections\` says,
  with the load tool's open-file limit raised (or checked) for them, so that the tool's own failures
  never count as the server's errors.
${orderOf(r)}
- The table shows the median of the rounds for each number on its own. The machine is noisy;
  differences of a few percent between two rows mean nothing, differences of 2× do.
- **The tool's ceiling.** ${ceilingMethod(r)}
- **The load generator runs on the same ${m.cores} cores as the server** and nothing is pinned to a
  core. It steals CPU from the server it measures, most for the fastest servers, so the ceilings
  are lower than on a separate load machine. Compare rows with each other, not with numbers
  measured elsewhere.
- After each load the tour waited until the server answered quickly again, so no measurement paid
  for the requests the last one left in flight: \`GET /index\`, and from stage 03 on \`GET /healthz\`,
  which pings the store through the stage's own connections, up to 60 s (a line says when it gave up).
- After the last scenario each server was stopped with SIGTERM and had to exit with 0.

What each server said when it started (its URL, store and workers):

${f.startups}

Left out of this run:

${skipped}

Failures during this run:

${failures}

## Running it yourself

${codeBlocks.runningIt(r)}

Options: \`--tool k6|autocannon|wrk\`, \`--stages\`, \`--scenarios\`, \`--duration\` (seconds per scenario, default ${DEFAULTS.durationSec}),
\`--warmup\` (default ${DEFAULTS.warmupSec}), \`--connections\` (default ${DEFAULTS.connections}), \`--rounds\` (default ${DEFAULTS.rounds}), \`--rows\` (default ${DEFAULTS.rows.toLocaleString("en-US")}),
\`--workers\` (default: the number of cores), \`--store sqlite|mongo\`, \`--results-dir\`, \`--docs\`,
\`--no-docs\`, \`--docs-dir\` and \`--no-flask\`. The tour prints an estimate of its duration before it
starts and a progress line while it runs, and first a line for each optional program it could use but
cannot find (\`npm run doctor\` lists them all).

**What it writes.** Every run writes its results to \`packages/bench/results/\` (ignored by git).
Only a full default tour — every stage and every scenario, the defaults above, SQLite, nothing left out
and nothing failed (missing Flask rows aside) — also rewrites this page, \`docs/benchmarks/results.json\`,
\`docs/benchmarks/chart.svg\` and the \`bench:\` markers in the chapters. Any other run leaves \`docs/\`
alone and says why in its last lines; \`--docs\` writes them from it anyway, \`--no-docs\` never
does, and \`--docs-dir DIR\` writes to another folder.
\`node packages/bench/dist/cli.js --docs-from docs/benchmarks/results.json\` redraws them from a
results file without measuring anything.

**MongoDB.** \`--store mongo\` runs stages 03 and later on a MongoDB-wire server instead of SQLite:
the one in \`MONGO_URL\` when it is set, or else a throwaway FerretDB (or \`mongod\`) the tour starts
and stops. Each stage gets a database of its own (\`zto_bench_03_mongo\`, …), seeded like the SQLite
file and dropped when the stage stops; nothing else on the server is touched. The table, the chart,
the results and this page name the server and its version: FerretDB speaks MongoDB's protocol but is
not MongoDB, and its numbers are not MongoDB's. Without \`MONGO_URL\` or \`ferretdb\` the tour stops
with one line (\`npm run doctor\` says how to get either). Such a tour writes \`docs/\` only with \`--docs\`.

**Load tools.** The tour uses k6 when the \`k6\` binary is on PATH, otherwise the embedded
[autocannon](https://github.com/mcollina/autocannon), and prints which one and why. \`--tool wrk\`
uses [wrk](https://github.com/wg/wrk) (\`apt-get install wrk\`), driven by
\`packages/bench/lua/plan.lua\` so that POSTs and the mixed scenario work too. autocannon runs inside
the tour's own Node process on one core; wrk is written in C and uses two threads, so it leaves more
CPU to the server and usually reports higher numbers for the fastest servers. When a server is
overloaded (stage 02's full list, stage 03's deep page), the tools count the time a request waits
differently, so their p50 and p99 can differ several-fold while req/s agrees. Compare rows
measured with the same tool.

**k6.** The k6 load script is \`packages/bench/k6/tour.ts\` (TypeScript, run directly by k6 0.57 or
later). Install k6 from <https://grafana.com/docs/k6/latest/set-up/install-k6/> (a Debian
package, Homebrew, winget or a single binary), then either let the tour use it or run a scenario
by hand against a server you started:

${codeBlocks.k6}

It reads \`BASE_URL\`, \`SCENARIO\`, \`VUS\` (default 100), \`DURATION\` (default 10s) and \`P95_MS\`
(the p95 threshold, default 500) from the environment; its thresholds fail the run when more than
1% of the requests fail or p95 is over the threshold.${
    r.tool.name === "k6"
      ? ""
      : `

k6 was not installed on the machine of this run, so the k6 script is type-checked and unit-tested
(its functions run in Node with k6's modules replaced) but was not run for these numbers. For
\`list-during-exports\` the tour starts the exports itself and k6 only measures \`GET /todo\`; run
by hand, \`SCENARIO=list-during-exports\` measures the first page without any exports.`
  }

## The results file

\`docs/benchmarks/results.json\` (and every file in \`packages/bench/results/\`) has this shape
(\`schema: "zero-to-one/bench-results@1"\`; the types are in \`packages/bench/src/results.ts\`):

| field | meaning |
| --- | --- |
| \`date\`, \`wallSec\` | when the tour started (ISO 8601) and how long it took |
| \`machine\` | \`cpuModel\`, \`cores\`, \`memoryGiB\`, \`os\`, \`node\`, \`loadAverage\` (\`start\`, \`end\`: the 1-minute load average) |
| \`tool\` | \`name\` (\`k6\`, \`autocannon\` or \`wrk\`), \`version\`, \`why\` it was chosen |
| \`settings\` | \`store\` (\`{ kind: "sqlite", label }\`, or \`{ kind: "mongo", product, version, label, from }\`: \`product\` \`MongoDB\` or \`FerretDB\` as the server's \`buildInfo\` says, \`label\` such as \`FerretDB v1.24.2 (MongoDB wire protocol)\`, \`from\` \`MONGO_URL\` or \`throwaway\`), \`durationSec\`, \`warmupSec\`, \`connections\`, \`rounds\`, \`rows\`, \`workers\`, and \`order\` (\`abba-halves\`) with \`halfSec\`, the seconds of each half (absent from files measured before the alternating order) |
| \`toolCeiling\` | the load tool's ceiling: \`target\` (\`ref-hello\`), \`scenario\` (\`hello\`), \`tool\`, \`connections\`, \`requestsPerSec\`, \`rounds\` (windows it is the median of) and \`from\`: \`hello rows\` (the tour's own rows of \`ref-hello\`) or \`measured once\` (a tour without \`hello\`). Absent when it could not be measured; \`--docs-from\` derives it from the \`ref-hello\` rows of older files |
| \`targets[]\` | \`id\`, \`label\`, \`kind\` (\`stage\` or \`reference\`), \`stage\`, \`scenarios\`, \`startup\` (its start-up line) |
| \`skipped[]\`, \`failures[]\` | \`id\` and \`reason\`: left out on purpose / broke during the run |
| \`runs[]\` | one per measurement: \`round\`, \`target\`, \`scenario\`, \`requests\`, \`durationSec\`, \`requestsPerSec\`, \`p50Ms\`, \`p90Ms\`, \`p99Ms\`, \`maxMs\`, \`errors\`, \`non2xx\`, \`halvesPerSec\` (each half's req/s, in the order measured); under background exports also \`condition\` (\`idle\`, \`queue\`, \`inline\`), \`exportsCompleted\` (in the window), \`exportErrors\`, \`connections\` and \`ratePerSec\`; through nginx (\`list-c1000\`) also \`connections\` and \`via\` (nginx's \`Server\` header, e.g. \`nginx/1.22.1\`). A window in which no request was answered is a run too: \`noAnswerWithinSec\` (the longest stretch it had: one half, or the whole window in older files), \`requestsPerSec\` 0, \`p50Ms\` and \`p99Ms\` null |
| \`summary[]\` | per target, scenario (and \`condition\`): the medians of \`requestsPerSec\`, \`p50Ms\`, \`p90Ms\`, \`p99Ms\`, \`maxMs\` (and \`exportsCompleted\`), the sums of \`requests\`, \`errors\`, \`non2xx\` (and \`exportErrors\`), \`rounds\`, and \`vsPrevious\` / \`vsCeiling\` as \`{ to, ratio }\` or null (always null for rows with a \`condition\`). Latencies are medians of the rounds that had answers (null when none had); \`roundsWithoutAnswer\` counts the others, and \`noAnswerWithinSec\` is set when the median round had no answer (req/s below 1 / that). A ratio against or of such a row is a bound: \`bound\` is \`at-least\` or \`at-most\`. \`atToolCeiling: true\` marks a row whose req/s is within 10% of \`toolCeiling\`, or above it |

All three tools fill the same \`runs[]\` fields, so results from \`--tool wrk\` and \`--tool autocannon\`
can be put side by side. \`p90Ms\`, \`maxMs\` and the export fields are absent from results files
written before the export scenario existed, and older files have \`store\` as just \`"sqlite"\`;
\`--docs-from\` still reads those.

## Numbers in the chapters

A chapter can quote this run without copying numbers by hand. The tour rewrites whatever is
between these markers in every \`docs/*.md\` file:

${codeBlocks.markers}

\`bench:table\` takes a stage number or a reference id (\`ref-hello\`, \`ref-page\`) and optionally a
comma-separated list of scenarios; \`bench:value\` takes a target, a scenario (\`list-during-exports:inline\`
names one condition) and one of \`rps\`, \`p50\`, \`p99\`, \`exports\`, \`vs-previous\`, \`vs-direct\` (through nginx
against the same stage without it), \`vs-ceiling\`. A marker that names something this run did not
measure is left as it was, and the tour says so.
`;
}

function targetId(results: TourResults, key: string): string | undefined {
  if (/^\d{1,2}$/.test(key))
    return results.targets.find((t) => t.stage === Number(key) && t.kind === "stage")?.id;
  return results.targets.find((t) => t.id === key)?.id;
}

function value(row: SummaryRow, field: string): string | undefined {
  switch (field) {
    case "rps":
      return row.noAnswerWithinSec
        ? below(row.noAnswerWithinSec)
        : Math.round(row.requestsPerSec).toLocaleString("en-US");
    case "p50":
      return row.p50Ms === null ? undefined : `${ms(row.p50Ms)} ms`;
    case "p99":
      return row.p99Ms === null ? undefined : `${ms(row.p99Ms)} ms`;
    case "exports":
      return row.exportsCompleted === undefined ? undefined : String(row.exportsCompleted);
    case "vs-previous":
      return row.vsPrevious ? times(row.vsPrevious) : undefined;
    case "vs-direct":
      return row.vsDirect ? times(row.vsDirect) : undefined;
    case "vs-ceiling": {
      const ratio = row.vsCeiling;
      if (!ratio) return undefined;
      const sign = ratio.bound === "at-least" ? "> " : ratio.bound === "at-most" ? "< " : "";
      return `${sign}${(ratio.ratio * 100).toFixed(0)}%`;
    }
    default:
      return undefined;
  }
}

/** Replaces the content between bench markers; unknown targets or scenarios are left unchanged. */
export function fillMarkers(text: string, results: TourResults, warn: (line: string) => void = console.warn) {
  return replaceMarkers(
    text,
    {
      table: ([key = "", only]) => {
        const id = targetId(results, key);
        const scenarios = only?.split(",");
        const rows = results.summary.filter(
          (row) => row.target === id && (!scenarios || scenarios.includes(row.scenario)),
        );
        if (rows.length === 0) return undefined;
        const columns = [0, 2, 4, 6];
        const table = markdownTable(results, rows, HEADERS, (c) => columns.map((i) => c[i]!));
        return `\n${table}\n\n<sub>${measuredOn(results)}; see [Benchmarks](benchmarks.md).</sub>\n`;
      },
      value: ([key = "", scenario = "", field = ""]) => {
        const id = targetId(results, key);
        // "list-during-exports:queue" names one condition of a scenario measured under exports
        const [name, condition] = scenario.split(":");
        const row = results.summary.find(
          (r) => r.target === id && r.scenario === name && (!condition || r.condition === condition),
        );
        return row && value(row, field);
      },
    },
    warn,
  );
}
