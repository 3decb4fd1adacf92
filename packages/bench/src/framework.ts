#!/usr/bin/env node
/**
 * What a framework costs per request, measured (docs/framework-cost.md):
 *   node packages/bench/dist/framework.js [--tool wrk|autocannon] [--duration 4] [--warmup 1]
 *     [--connections 100] [--rounds 3] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/framework.js --docs-from FRAMEWORK.json [--docs-dir DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { shownPath } from "./shown-path.js";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { measureFramework } from "./framework/measure.js";
import { ROWS } from "./framework/rows.js";
import {
  frameworkTextTable,
  readFrameworkResults,
  summarizeFramework,
  writeFrameworkDocs,
} from "./framework/report.js";
import { DEFAULTS } from "./published.js";
import { packageDir, repoRoot } from "./targets.js";
import { pickTool } from "./tools/index.js";

const USAGE = `usage: framework [--tool wrk|autocannon] [--duration SEC] [--warmup SEC] [--connections N]
                 [--rounds N] [--results-dir DIR] [--docs] [--docs-dir DIR]
       framework --docs-from FRAMEWORK.json [--docs-dir DIR]`;

function fail(message: string): never {
  console.error(`framework: ${message}\n${USAGE}`);
  process.exit(2);
}

function whole(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    fail(`--${name} must be a whole number of at least ${min}, not ${value}`);
  return n;
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      tool: { type: "string" },
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      rounds: { type: "string" },
      "results-dir": { type: "string" },
      docs: { type: "boolean", default: false },
      "docs-dir": { type: "string" },
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

// Re-render the numbers in the docs from a results file (after a change to a page's text).
if (parsed["docs-from"]) {
  for (const written of writeFrameworkDocs(readFrameworkResults(parsed["docs-from"]), docsDir)) {
    console.log(`wrote ${shownPath(written)}`);
  }
  process.exit(0);
}

// the tour's tool: wrk when asked for, else the embedded autocannon
const asked = parsed.tool ?? "autocannon";
if (asked !== "wrk" && asked !== "autocannon") fail(`--tool must be wrk or autocannon, not ${asked}`);
let tool;
try {
  tool = pickTool(asked).tool;
} catch (error) {
  fail((error as Error).message);
}

const toTerminal = process.stderr.isTTY;
const log = (line: string) => process.stderr.write(toTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
const settings = {
  durationSec: whole("duration", parsed.duration, DEFAULTS.durationSec),
  warmupSec: whole("warmup", parsed.warmup, DEFAULTS.warmupSec, 0),
  connections: whole("connections", parsed.connections, DEFAULTS.connections),
  rounds: whole("rounds", parsed.rounds, DEFAULTS.rounds),
};
log(
  `framework: ${ROWS.length} servers, ${settings.rounds} round(s) of ${settings.durationSec} s each in ABBA halves, ` +
    `${settings.connections} connections, ${tool.version}`,
);

const results = summarizeFramework(await measureFramework({ tool, ...settings, rows: DEFAULTS.rows, log }));

const resultsDir = parsed["results-dir"] ?? join(packageDir, "results");
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify(results, null, 2) + "\n";
const file = join(resultsDir, `framework-${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(resultsDir, "framework-latest.json"), json);

console.log(`\n${frameworkTextTable(results)}\n`);
if (results.failures.length > 0) {
  console.error(`${results.failures.length} failure(s):`);
  for (const f of results.failures) console.error(`  ${f.id}: ${f.reason}`);
}
console.log(`results: ${shownPath(file)} (and ${shownPath(join(resultsDir, "framework-latest.json"))})`);
if (parsed.docs) {
  for (const written of writeFrameworkDocs(results, docsDir)) console.log(`wrote ${shownPath(written)}`);
} else {
  console.log(
    `${shownPath(docsDir)}/ left alone (--docs writes docs/benchmarks/framework.json and the page's numbers)`,
  );
}
process.exit(results.failures.length > 0 ? 1 : 0);
