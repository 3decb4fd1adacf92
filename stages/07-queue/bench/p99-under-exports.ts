/**
 * GET /todo latency while exports run: idle, with exports on the queue, and with the same exports
 * inline in the request. Run from the stage after `npm run build`:
 *
 *   npm run bench:exports -- [--seconds 10] [--rounds 1] [--exporters 2] [--connections 10] [--count 10000]
 *
 * It starts its own redis-server, API server and (for the queue) one worker, on free ports, seeds a
 * throwaway SQLite file, and stops everything at the end. Numbers depend on the machine: compare
 * the three rows with each other, never with another machine's.
 */
import { startServer, startTestRedis } from "@zero-to-one/test-kit";
import autocannon from "autocannon";
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "1" },
    exporters: { type: "string", default: "2" },
    connections: { type: "string", default: "10" },
    count: { type: "string", default: "10000" },
  },
});
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const exporters = Number(values.exporters);
const connections = Number(values.connections);
const count = Number(values.count);

const stage = new URL("..", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "zto-07-bench-"));
const started = await startTestRedis();
if (!started.redis) throw new Error(started.skipped);
const redis = started.redis;
const env = {
  REDIS_URL: redis.url,
  DB_PATH: join(dir, "todo.db"),
  EXPORT_DIR: join(dir, "exports"),
  WORKERS: String(availableParallelism()),
};
const seeded = spawnSync(process.execPath, ["dist/seed.js", "--count", String(count)], {
  cwd: stage,
  env: { ...process.env, ...env },
  encoding: "utf8",
});
if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stderr}`);
const api = await startServer({ cwd: stage, env });

/** `exporters` clients, each running one export after another until `stop`. */
function exportLoad(mode: "queue" | "inline") {
  let running = true;
  let done = 0;
  const one = async () => {
    if (mode === "inline") {
      const res = await fetch(`${api.url}/todo/export?inline=1`, { method: "POST" });
      await res.arrayBuffer();
      return;
    }
    const { status_url } = (await (await fetch(`${api.url}/todo/export`, { method: "POST" })).json()) as {
      status_url: string;
    };
    for (;;) {
      const job = (await (await fetch(api.url + status_url)).json()) as { state: string; result_url: string };
      if (job.state === "completed") {
        await (await fetch(api.url + job.result_url)).arrayBuffer();
        return;
      }
      if (job.state === "failed") throw new Error(`export failed: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const lanes = Array.from({ length: exporters }, async () => {
    while (running) {
      await one();
      done++;
    }
  });
  return async () => {
    running = false;
    await Promise.all(lanes);
    return done;
  };
}

async function measure(round: number, label: string, mode?: "queue" | "inline") {
  const stop = mode ? exportLoad(mode) : async () => 0;
  await new Promise((r) => setTimeout(r, 500)); // let the exports get going
  const result = await autocannon({ url: `${api.url}/todo`, connections, duration: seconds });
  const exports = await stop();
  return {
    round,
    "while…": label,
    "GET /todo req/s": Math.round(result.requests.total / result.duration),
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    "max ms": result.latency.max,
    non2xx: result.non2xx + result.errors,
    "exports done": exports,
  };
}

const worker = spawn(process.execPath, ["dist/worker.js"], {
  cwd: stage,
  env: { ...process.env, ...env },
  stdio: "ignore",
});
const rows = [];
try {
  // a first, unrecorded run warms the JIT and the page cache
  await autocannon({ url: `${api.url}/todo`, connections, duration: 3 });
  for (let round = 1; round <= rounds; round++) {
    rows.push(await measure(round, "idle"));
    rows.push(await measure(round, `${exporters} exports at a time, on the queue`, "queue"));
    rows.push(await measure(round, `${exporters} exports at a time, inline (?inline=1)`, "inline"));
  }
} finally {
  worker.kill("SIGTERM");
  await once(worker, "exit");
  await api.stop();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(api.output().split("\n")[0]);
console.log(
  `${count.toLocaleString("en-US")} seeded todos; 1 queue worker (concurrency 2); autocannon ${connections} ` +
    `connections × ${seconds} s on GET /todo; ${cpus().length} × ${cpus()[0]?.model}; ${new Date().toISOString()}`,
);
console.table(rows);
