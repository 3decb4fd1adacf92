#!/usr/bin/env node
/**
 * The cache stampede and penetration of chapter 06, measured (`npm run bench:stampede` in stage 06):
 *   node packages/bench/dist/stampede.js [--duration 4] [--warmup 1] [--connections 100] [--rounds 3]
 *     [--rows 10000] [--workers 2] [--lifetime 250] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/stampede.js --docs-from STAMPEDE.json [--docs-dir DIR]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULTS } from "./published.js";
import { shownPath } from "./shown-path.js";
import { measureStampede } from "./stampede/measure.js";
import {
  readStampedeResults,
  stampedeTextTable,
  summarizeStampede,
  writeStampedeDocs,
} from "./stampede/report.js";
import { packageDir, repoRoot } from "./targets.js";

const USAGE = `usage: stampede [--duration SEC] [--warmup SEC] [--connections N] [--rounds N] [--rows N]
                [--workers N] [--lifetime MS] [--results-dir DIR] [--docs] [--docs-dir DIR]
       stampede --docs-from STAMPEDE.json [--docs-dir DIR]`;

function fail(message: string): never {
  console.error(`stampede: ${message}\n${USAGE}`);
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
      duration: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      rounds: { type: "string" },
      rows: { type: "string" },
      workers: { type: "string" },
      lifetime: { type: "string" },
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

// Re-render the table in the docs from a results file (after a change to the page's text).
if (parsed["docs-from"]) {
  for (const written of writeStampedeDocs(readStampedeResults(parsed["docs-from"]), docsDir)) {
    console.log(`wrote ${shownPath(written)}`);
  }
  process.exit(0);
}

const settings = {
  durationSec: whole("duration", parsed.duration, DEFAULTS.durationSec),
  warmupSec: whole("warmup", parsed.warmup, DEFAULTS.warmupSec, 0),
  connections: whole("connections", parsed.connections, DEFAULTS.connections),
  rounds: whole("rounds", parsed.rounds, DEFAULTS.rounds),
  rows: whole("rows", parsed.rows, DEFAULTS.rows, 20),
  // two workers, so the stampede crosses processes, as in the chapter's tests
  workers: whole("workers", parsed.workers, 2),
  // stage 06 accepts CACHE_FRESH_MS from 50 ms
  lifetimeMs: whole("lifetime", parsed.lifetime, 250, 50),
};

const toTerminal = process.stderr.isTTY;
const log = (line: string) => process.stderr.write(toTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
log(
  `stampede: stage 06 with CACHE_PROTECTION on and off, ${settings.rounds} round(s) in ABBA halves, ` +
    `${settings.connections} connections, the first page expiring every ${settings.lifetimeMs} ms`,
);

let measured;
try {
  measured = await measureStampede({ ...settings, log });
} catch (error) {
  console.error(`stampede: ${(error as Error).message}`);
  process.exit(1);
}
const results = summarizeStampede(measured);

const resultsDir = parsed["results-dir"] ?? join(packageDir, "results");
mkdirSync(resultsDir, { recursive: true });
const json = JSON.stringify(results, null, 2) + "\n";
const file = join(resultsDir, `stampede-${results.date.replace(/[:.]/g, "-")}.json`);
writeFileSync(file, json);
writeFileSync(join(resultsDir, "stampede-latest.json"), json);

console.log(`\n${stampedeTextTable(results)}\n`);
if (results.failures.length > 0) {
  console.error(`${results.failures.length} failure(s):`);
  for (const f of results.failures) console.error(`  protection ${f.id}: ${f.reason}`);
}
console.log(`results: ${shownPath(file)} (and ${shownPath(join(resultsDir, "stampede-latest.json"))})`);
if (parsed.docs) {
  for (const written of writeStampedeDocs(results, docsDir)) console.log(`wrote ${shownPath(written)}`);
} else {
  console.log(
    `${shownPath(docsDir)}/ left alone (--docs writes docs/benchmarks/stampede.json and the table in 06-cache.md)`,
  );
}
process.exit(results.failures.length > 0 ? 1 : 0);
