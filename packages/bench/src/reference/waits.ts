/**
 * A hello beside two routes that wait the same time in two ways. `GET /wait-sync?ms=N` runs a
 * better-sqlite3 query that takes about N ms (calibrated at start-up): the event loop is held for
 * that long, as by any synchronous driver or CPU-bound step, and every other request on the
 * process waits. `GET /wait-async?ms=N` awaits a timer of N ms, as a request awaits a query out
 * on the network: the process serves others meanwhile. With WORKERS > 1 it runs that many
 * processes on one port with node:cluster, as stage 05 does.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import cluster from "node:cluster";
import { setTimeout as sleep } from "node:timers/promises";
import {
  ApiError,
  integer,
  notFound,
  onError,
  port,
  readConfigOrExit,
  serveGracefully,
  text,
} from "@zero-to-one/server-kit";
import { calibratedSlowQuery } from "./slow-query.js";
import { runWorkers } from "./workers.js";

export const MAX_WAIT_MS = 10_000;

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  WORKERS: integer(1, { min: 1, max: 64 }),
});
const name = "reference: a hello beside /wait-sync and /wait-async";

function waitOf(c: Context): number {
  const raw = c.req.query("ms") ?? "";
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms < 1 || ms > MAX_WAIT_MS) {
    throw new ApiError(400, `"ms" must be a whole number of milliseconds from 1 to ${MAX_WAIT_MS}`);
  }
  return ms;
}

if (config.WORKERS > 1 && cluster.isPrimary) {
  runWorkers(config.WORKERS, (pids, port) =>
    console.log(
      `${name} listening on http://${config.HOST}:${port} ` +
        `(${pids.length} workers: pids ${pids.join(", ")}; primary pid ${process.pid})`,
    ),
  );
} else {
  const slowQuery = calibratedSlowQuery();
  const app = new Hono();
  app.get("/index", (c) => c.json({ msg: "hello world" }));
  app.get("/wait-sync", (c) => {
    const ms = waitOf(c);
    slowQuery.run(ms);
    return c.json({ waited: "sync", ms });
  });
  app.get("/wait-async", async (c) => {
    const ms = waitOf(c);
    await sleep(ms);
    return c.json({ waited: "async", ms });
  });
  app.notFound(notFound(app));
  app.onError(onError);
  // a worker leaves Ctrl-C to the primary, which stops every worker
  if (cluster.isWorker) process.on("SIGINT", () => {});
  await serveGracefully({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    signals: cluster.isWorker ? ["SIGTERM"] : ["SIGTERM", "SIGINT"],
    onListen: (url) => {
      if (cluster.isPrimary) {
        const rate = Math.round(slowQuery.rowsPerMs).toLocaleString("en-US");
        console.log(`${name} listening on ${url} (1 process, pid ${process.pid}; ${rate} rows/ms)`);
      }
    },
  });
}
