#!/usr/bin/env node
/**
 * What a framework costs per request, measured (docs/framework-cost.md):
 *   node packages/bench/dist/framework.js [--tool wrk|autocannon] [--duration 4] [--warmup 1]
 *     [--connections 100] [--rounds 3] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/framework.js --docs-from FRAMEWORK.json [--docs-dir DIR]
 */
import { runBenchCommand } from "./bench-command.js";
import { measureFramework } from "./framework/measure.js";
import { frameworkTextTable, summarizeFramework, writeFrameworkDocs } from "./framework/report.js";
import { ROWS } from "./framework/rows.js";
import { DEFAULTS } from "./published.js";

await runBenchCommand({
  name: "framework",
  own: {},
  docsNote: "docs/benchmarks/framework.json and the page's numbers",
  headline: (s, tool) =>
    `framework: ${ROWS.length} servers, ${s.rounds} round(s) of ${s.durationSec} s each in ABBA halves, ` +
    `${s.connections} connections, ${tool.version}`,
  measure: async (settings, tool, log) =>
    summarizeFramework(await measureFramework({ tool, ...settings, rows: DEFAULTS.rows, log })),
  table: frameworkTextTable,
  writeDocs: writeFrameworkDocs,
});
