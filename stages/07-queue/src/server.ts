import { integer, optionalUrl, port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { createApp } from "./app.js";
import { addressList } from "./client-address.js";
import { exportFiles } from "./export-files.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { exitWhenReleased, runPrimary } from "./primary.js";
import { createExportQueue, exportSettings } from "./queue.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  // one worker per core is enough in Node: each worker is already asynchronous (see the chapter)
  WORKERS: integer(availableParallelism(), { min: 1, max: 256 }),
  TRUSTED_PROXY: addressList("127.0.0.1"),
  ...storeSettings,
  REDIS_URL: optionalUrl(["redis:", "rediss:"]),
  ...exportSettings,
  EXPORT_ATTEMPTS: integer(3, { min: 1, max: 20 }),
  EXPORT_BACKOFF_MS: integer(2_000, { min: 0, max: 3_600_000 }),
});
const redisUrl = config.REDIS_URL ?? "redis://127.0.0.1:6379";

if (cluster.isPrimary) {
  // the primary opens no store and serves nothing: it forks, watches and replaces the workers
  const store = config.MONGO_URL ? "mongo (MONGO_URL)" : `sqlite at ${config.DB_PATH}`;
  runPrimary({
    workers: config.WORKERS,
    onReady: ({ pids, port }) => {
      const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
      console.log(
        `stage 07-queue listening on http://${host}:${port}/todo ` +
          `(store: ${store}, ${pids.length} workers: pids ${pids.join(", ")}; primary pid ${process.pid})` +
          `, exports queued on redis at ${redisUrl.replace(/\/\/[^@/]*@/, "//…@")} for \`npm run worker\``,
      );
    },
  });
} else {
  // each worker runs the stage-04 server: its own store connection, the port shared through the primary
  const { store } = await openStoreOrExit(config);
  // the long task goes on the queue; any worker process, on any machine, takes it from there
  const exports = {
    queue: createExportQueue({
      redisUrl,
      attempts: config.EXPORT_ATTEMPTS,
      backoffMs: config.EXPORT_BACKOFF_MS,
    }),
    files: exportFiles(config.EXPORT_DIR),
    pageSize: config.EXPORT_PAGE_SIZE,
  };
  // Ctrl-C and a closed terminal signal the whole process group: only the primary decides what happens
  process.on("SIGINT", () => {});
  process.on("SIGHUP", () => {});
  await serveGracefully({
    fetch: createApp({ store, exports, trustedProxies: config.TRUSTED_PROXY }).fetch,
    port: config.PORT,
    hostname: config.HOST,
    signals: ["SIGTERM"],
    onClose: async () => {
      await exports.queue.close();
      await store.close();
    },
    exit: exitWhenReleased,
  });
}
