#!/usr/bin/env node
/**
 * The benchmark tour from the command line:
 *   node packages/bench/dist/cli.js [--tool k6|autocannon|wrk] [--stages 01,02] [--scenarios list,hello]
 *     [--duration 4] [--warmup 1] [--connections 100] [--rounds 3] [--rows 10000] [--workers N]
 *     [--store sqlite|mongo] [--results-dir DIR] [--docs | --no-docs] [--docs-dir DIR] [--no-flask]
 *   node packages/bench/dist/cli.js --docs-from RESULTS.json [--docs-dir DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { shownPath } from "./shown-path.js";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeDocs } from "./docs.js";
import { DEFAULTS, partialBecause } from "./published.js";
import { readResults } from "./results.js";
import { SCENARIO_NAMES, type ScenarioName } from "./scenarios.js";
import { type TourMongo, describeStore, startTourMongo } from "./store.js";
import { textTable } from "./table.js";
import { chainText } from "./article.js";
import { packageDir, repoRoot, stageNames } from "./targets.js";
import { TOOL_NAMES, type ToolName, pickTool } from "./tools/index.js";
import { runTour } from "./tour.js";

const USAGE = `usage: tour [--tool k6|autocannon|wrk] [--stages 01,02,…] [--scenarios ${SCENARIO_NAMES.join(",")}]
            [--duration SEC] [--warmup SEC] [--connections N] [--rounds N] [--rows N] [--workers N]
            [--store sqlite|mongo] [--results-dir DIR] [--docs | --no-docs] [--docs-dir DIR] [--no-flask]
       tour --docs-from RESULTS.json [--docs-dir DIR]
The article's 1,000 connections through nginx (its 892 req/s, then 2,992 with Redis), in the default tour too:
       tour --tool wrk --stages 05,06 --scenarios list,list-c1000`;

function fail(message: string): never {
  console.error(`tour: ${message}\n${USAGE}`);
  process.exit(2);
}

function positive(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    fail(`--${name} must be a whole number of at least ${min}, not ${value}`);
  return n;
}

function list(name: string, value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) fail(`--${name} needs at least one value`);
  return items;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      tool: { type: "string" },
      stages: { type: "string" },
      scenarios: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      rounds: { type: "string" },
      rows: { type: "string" },
      workers: { type: "string" },
      store: { type: "string" },
      "results-dir": { type: "string" },
      docs: { type: "boolean", default: false },
      "no-docs": { type: "boolean", default: false },
      "docs-dir": { type: "string" },
      "no-flask": { type: "boolean", default: false },
      "docs-from": { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (parsed.help) {
  console.log(USAGE);
  process.exit(0);
}

const docsDir = resolve(parsed["docs-dir"] ?? join(repoRoot, "docs"));

// Re-render the docs from a results file (after a change to the page's text), measuring nothing.
if (parsed["docs-from"]) {
  for (const written of writeDocs(readResults(parsed["docs-from"]), docsDir))
    console.log(`wrote ${shownPath(written)}`);
  process.exit(0);
}

const tool = parsed.tool;
if (tool !== undefined && !TOOL_NAMES.includes(tool as ToolName)) {
  fail(`--tool must be one of ${TOOL_NAMES.join(", ")}, not ${tool}`);
}
const stages = list("stages", parsed.stages)?.map((s) => {
  if (!/^\d{1,2}$/.test(s)) fail(`--stages takes stage numbers such as 01,04, not ${s}`);
  return Number(s);
});
const scenarios = list("scenarios", parsed.scenarios)?.map((s) => {
  if (!SCENARIO_NAMES.includes(s as ScenarioName)) {
    fail(`unknown scenario ${s}; the scenarios are ${SCENARIO_NAMES.join(", ")}`);
  }
  return s as ScenarioName;
});
const store = parsed.store ?? "sqlite";
if (store !== "sqlite" && store !== "mongo") fail(`--store must be sqlite or mongo, not ${store}`);
if (parsed.docs && parsed["no-docs"]) fail("--docs and --no-docs contradict each other");
const settings = {
  durationSec: positive("duration", parsed.duration, DEFAULTS.durationSec),
  warmupSec: positive("warmup", parsed.warmup, DEFAULTS.warmupSec, 0),
  connections: positive("connections", parsed.connections, DEFAULTS.connections),
  rounds: positive("rounds", parsed.rounds, DEFAULTS.rounds),
  rows: positive("rows", parsed.rows, DEFAULTS.rows, 20),
  workers: positive("workers", parsed.workers, DEFAULTS.workers),
};

let picked;
try {
  picked = pickTool(tool as ToolName | undefined);
} catch (error) {
  fail((error as Error).message);
}

const toTerminal = process.stderr.isTTY;
const log = (line: string) => process.stderr.write(toTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
let mongo: TourMongo | undefined;
if (store === "mongo") {
  const started = await startTourMongo();
  if (typeof started === "string") {
    console.error(`tour: --store mongo needs a MongoDB-wire server: ${started}`);
    process.exit(1);
  }
  mongo = started;
  log(`--store mongo: stages 03+ on ${describeStore(mongo.store)}`);
}
if (picked.missing) log(`${picked.missing}; see npm run doctor`);

const results = await runTour({
  tool: picked.tool,
  toolWhy: picked.why,
  ...(stages ? { stages } : {}),
  ...(scenarios ? { scenarios } : {}),
  ...settings,
  flask: !parsed["no-flask"],
  ...(mongo ? { mongoUrl: mongo.url, store: mongo.store } : {}),
  log,
}).finally(() => mongo?.stop());

const resultsDir = parsed["results-dir"] ?? join(packageDir, "results");
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify(results, null, 2) + "\n";
const file = join(resultsDir, `tour-${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(resultsDir, "latest.json"), json);

console.log(`\n${textTable(results)}\n\n${chainText(results)}\n`);
const m = results.machine;
const viaNginx = results.runs.find((r) => r.via);
const throughNginx = viaNginx && `${viaNginx.scenario}: ${viaNginx.connections} through ${viaNginx.via}`;
console.log(
  `${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${results.tool.version}, ` +
    `${results.settings.connections} connections${throughNginx ? ` (${throughNginx})` : ""}, median of ${results.settings.rounds} round(s) × ` +
    `${2 * (results.settings.halfSec ?? results.settings.durationSec / 2)} s (two halves, servers alternating ABBA), ` +
    `${results.settings.rows.toLocaleString("en-US")} todos seeded` +
    `${results.runs.some((r) => r.condition) ? ` (GET /todo while exports run: ${results.runs.find((r) => r.condition)?.connections} connections)` : ""}; ` +
    `the load generator shares the cores with the server.`,
);
if (results.failures.length > 0) {
  console.error(`${results.failures.length} failure(s):`);
  for (const f of results.failures) console.error(`  ${f.id}: ${f.reason.split("\n")[0]}`);
}

// The last lines say where this run went: the results file always, the docs only for a full default tour.
console.log(`results: ${shownPath(file)} (and ${shownPath(join(resultsDir, "latest.json"))})`);
const partial = partialBecause(results, { stages, scenarios }, stageNames());
if (parsed["no-docs"]) {
  console.log(`${shownPath(docsDir)}/ left alone (--no-docs)`);
} else if (partial.length > 0 && !parsed.docs) {
  console.log(
    `${shownPath(docsDir)}/ left alone: not a full default tour (${partial.join("; ")}). Only a full default ` +
      `tour rewrites the published benchmarks; --docs writes them from this run anyway.`,
  );
} else {
  for (const written of writeDocs(results, docsDir)) console.log(`wrote ${shownPath(written)}`);
  if (partial.length > 0) console.log(`--docs: written from a partial tour (${partial.join("; ")})`);
}
process.exit(results.failures.length > 0 ? 1 : 0);
