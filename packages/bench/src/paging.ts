#!/usr/bin/env node
/**
 * What paging alone buys, on one store and one server (docs/03-mongo.md):
 *   node packages/bench/dist/paging.js [--tool wrk|autocannon] [--duration 4] [--warmup 1]
 *     [--connections 10] [--rounds 3] [--rows 10000] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/paging.js --docs-from PAGING.json [--docs-dir DIR]
 */
import { runBenchCommand } from "./bench-command.js";
import { DEFAULTS } from "./published.js";
import { measurePaging } from "./paging/measure.js";
import { pagingTextTable, summarizePaging, writePagingDocs } from "./paging/report.js";

await runBenchCommand({
  name: "paging",
  own: { rows: { flag: "rows", placeholder: "N", fallback: DEFAULTS.rows, min: 10 } },
  defaults: { connections: 10 },
  docsNote: "docs/benchmarks/paging.json and the table of docs/03-mongo.md",
  headline: (s, tool) =>
    `paging: GET /todo?all=1 and GET /todo on ${s.rows.toLocaleString("en-US")} todos, ${s.rounds} round(s) ` +
    `of ${s.durationSec} s each in ABBA halves, ${s.connections} connections, ${tool.version}`,
  measure: async (settings, tool, log) => summarizePaging(await measurePaging({ ...settings, tool, log })),
  table: pagingTextTable,
  writeDocs: writePagingDocs,
});
