#!/usr/bin/env node
/**
 * What one blocking call does to every other request on a process, and what awaiting costs them
 * (docs/05-cluster.md):
 *   node packages/bench/dist/blocking.js [--tool wrk|autocannon] [--duration 4] [--warmup 1]
 *     [--connections 10] [--rounds 3] [--rate 200] [--wait-ms 50] [--slow-clients 1]
 *     [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   node packages/bench/dist/blocking.js --docs-from BLOCKING.json [--docs-dir DIR]
 */
import { runBenchCommand } from "./bench-command.js";
import { CONDITIONS, PROCESSES, measureBlocking } from "./blocking/measure.js";
import { blockingTextTable, summarizeBlocking, writeBlockingDocs } from "./blocking/report.js";

await runBenchCommand({
  name: "blocking",
  own: {
    ratePerSec: { flag: "rate", placeholder: "REQ/S", fallback: 200, min: 1 },
    waitMs: { flag: "wait-ms", placeholder: "MS", fallback: 50, min: 1 },
    slowClients: { flag: "slow-clients", placeholder: "N", fallback: 1, min: 1 },
  },
  defaults: { connections: 10 },
  wrkFirst: true,
  docsNote: "docs/benchmarks/blocking.json and the table of docs/05-cluster.md",
  headline: (s, tool) =>
    `blocking: GET /index on ${PROCESSES.length} servers × ${CONDITIONS.length} conditions, ` +
    `${s.rounds} round(s) of ${s.durationSec} s each in ABBA halves, ${s.connections} connections, ` +
    `slow calls of ${s.waitMs} ms from ${s.slowClients} client(s), ${tool.version}`,
  measure: async (settings, tool, log) =>
    summarizeBlocking(await measureBlocking({ ...settings, tool, log })),
  table: blockingTextTable,
  writeDocs: writeBlockingDocs,
});
