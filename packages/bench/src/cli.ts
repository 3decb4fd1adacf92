#!/usr/bin/env node
/**
 * The benchmark tour from the command line:
 *   node packages/bench/dist/cli.js [--tool k6|autocannon|wrk] [--stages 01,02] [--scenarios list,hello]
 *     [--duration 5] [--warmup 1] [--connections 100] [--rounds 3] [--rows 10000] [--workers N]
 *     [--results-dir DIR] [--no-docs] [--no-flask] [--mongo]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { writeDocs } from "./docs.js";
import type { TourResults } from "./results.js";
import { SCENARIO_NAMES, type ScenarioName } from "./scenarios.js";
import { textTable } from "./table.js";
import { defaultWorkers, packageDir, repoRoot } from "./targets.js";
import { TOOL_NAMES, type ToolName, pickTool } from "./tools/index.js";
import { runTour } from "./tour.js";

const USAGE = `usage: tour [--tool k6|autocannon|wrk] [--stages 01,02,…] [--scenarios ${SCENARIO_NAMES.join(",")}]
            [--duration SEC] [--warmup SEC] [--connections N] [--rounds N] [--rows N] [--workers N]
            [--results-dir DIR] [--no-docs] [--no-flask] [--mongo] | --docs-from RESULTS.json`;

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
      "results-dir": { type: "string" },
      "no-docs": { type: "boolean", default: false },
      "no-flask": { type: "boolean", default: false },
      mongo: { type: "boolean", default: false },
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

// Re-render docs/ from a results file (after a change to the page's text), measuring nothing.
if (parsed["docs-from"]) {
  const results = JSON.parse(readFileSync(parsed["docs-from"], "utf8")) as TourResults;
  for (const written of writeDocs(results, repoRoot))
    console.log(`wrote ${relative(process.cwd(), written)}`);
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
const rows = positive("rows", parsed.rows, 10_000, 20);

const mongoUrl = parsed.mongo ? process.env["MONGO_URL"] : undefined;
if (parsed.mongo && !mongoUrl)
  fail("--mongo needs MONGO_URL (the tour seeds it with --reset: its todos are replaced)");
if (mongoUrl)
  console.error(`--mongo: stages 03+ use MONGO_URL; the tour replaces the todos in that database`);

let picked;
try {
  picked = pickTool(tool as ToolName | undefined);
} catch (error) {
  fail((error as Error).message);
}

const toTerminal = process.stderr.isTTY;
const results = await runTour({
  tool: picked.tool,
  toolWhy: picked.why,
  ...(stages ? { stages } : {}),
  ...(scenarios ? { scenarios } : {}),
  durationSec: positive("duration", parsed.duration, 4),
  warmupSec: positive("warmup", parsed.warmup, 1, 0),
  connections: positive("connections", parsed.connections, 100),
  rounds: positive("rounds", parsed.rounds, 3),
  rows,
  workers: positive("workers", parsed.workers, defaultWorkers()),
  flask: !parsed["no-flask"],
  ...(mongoUrl ? { mongoUrl } : {}),
  log: (line) => process.stderr.write(toTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`),
});

const resultsDir = parsed["results-dir"] ?? join(packageDir, "results");
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify(results, null, 2) + "\n";
const file = join(resultsDir, `tour-${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(resultsDir, "latest.json"), json);

console.log(`\n${textTable(results)}\n`);
const m = results.machine;
console.log(
  `${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${results.tool.version}, ` +
    `${results.settings.connections} connections, median of ${results.settings.rounds} round(s) × ` +
    `${results.settings.durationSec} s, ${results.settings.rows.toLocaleString("en-US")} todos seeded` +
    `${results.runs.some((r) => r.condition) ? ` (GET /todo while exports run: ${results.runs.find((r) => r.condition)?.connections} connections)` : ""}; ` +
    `the load generator shares the cores with the server.`,
);
const shown = (path: string) =>
  relative(process.cwd(), path).startsWith("..") ? path : relative(process.cwd(), path);
console.log(`results: ${shown(file)}`);
if (!parsed["no-docs"]) {
  for (const written of writeDocs(results, repoRoot)) console.log(`wrote ${shown(written)}`);
}
if (results.failures.length > 0) {
  console.error(`${results.failures.length} failure(s):`);
  for (const f of results.failures) console.error(`  ${f.id}: ${f.reason.split("\n")[0]}`);
  process.exit(1);
}
