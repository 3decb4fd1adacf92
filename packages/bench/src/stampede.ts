#!/usr/bin/env node
/**
 * The cache stampede and penetration of chapter 06, measured (`npm run bench:stampede` in stage 06):
 *   node packages/bench/dist/stampede.js [--duration 4] [--warmup 1] [--connections 100] [--rounds 3]
 *     [--rows 10000] [--workers 2] [--lifetime 250] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/stampede.js --docs-from STAMPEDE.json [--docs-dir DIR]
 */
import { runBenchCommand } from "./bench-command.js";
import { DEFAULTS } from "./published.js";
import { measureStampede } from "./stampede/measure.js";
import { stampedeTextTable, summarizeStampede, writeStampedeDocs } from "./stampede/report.js";
import { autocannonTool } from "./tools/autocannon.js";

await runBenchCommand({
  name: "stampede",
  own: {
    rows: { flag: "rows", placeholder: "N", fallback: DEFAULTS.rows, min: 20 },
    // two workers, so the stampede crosses processes, as in the chapter's tests
    workers: { flag: "workers", placeholder: "N", fallback: 2, min: 1 },
    // stage 06 accepts CACHE_FRESH_MS from 50 ms
    lifetimeMs: { flag: "lifetime", placeholder: "MS", fallback: 250, min: 50 },
  },
  // the latency of each answer, to pick those around an expiry: autocannon reports it, wrk does not
  tool: autocannonTool,
  failed: (condition) => `protection ${condition}`,
  docsNote: "docs/benchmarks/stampede.json and the table in 06-cache.md",
  headline: (s) =>
    `stampede: stage 06 with CACHE_PROTECTION on and off, ${s.rounds} round(s) in ABBA halves, ` +
    `${s.connections} connections, the first page expiring every ${s.lifetimeMs} ms`,
  measure: async (settings, tool, log) =>
    summarizeStampede(await measureStampede({ ...settings, tool, log })),
  table: stampedeTextTable,
  writeDocs: writeStampedeDocs,
});
