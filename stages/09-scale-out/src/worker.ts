import { integer, readConfigOrExit } from "@zero-to-one/server-kit";
import { createNodeRedisClient, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { exportFiles } from "./export-files.js";
import { exportProcessor } from "./export-job.js";
import { createMongoStore } from "./mongo-store.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import {
  EXPORT_QUEUE,
  exportSettings,
  queueConnection,
  RESULT_TTL_MS,
  reportRedisErrors,
  type ExportData,
  type ExportResult,
} from "./queue.js";
import { readRoutingSettings, routeReads } from "./read-routing.js";
import { describeSentinel, sentinelSettings, sentinelTargetOrExit } from "./redis-sentinel.js";

const config = readConfigOrExit({
  ...storeSettings,
  // the same Redis as the API: the queue lives there
  REDIS_URL: cacheSettings.REDIS_URL,
  ...sentinelSettings,
  ...readRoutingSettings,
  ...exportSettings,
  WORKER_CONCURRENCY: integer(2, { min: 1, max: 64 }),
  // how long a job stays locked to a worker that stopped answering before another one takes it over
  JOB_LOCK_MS: integer(30_000, { min: 1_000, max: 600_000 }),
  // how long SIGTERM waits for the exports in hand (a supervisor's own grace period is often 30 s)
  SHUTDOWN_GRACE_MS: integer(25_000, { min: 0, max: 3_600_000 }),
});
const sentinel = sentinelTargetOrExit(config);
const { store: primary, description } = await openStoreOrExit(config);
// exports read the replica too, unless their owner has just written (read-routing.ts)
const store =
  config.MONGO_URL && config.MONGO_READ_URL
    ? routeReads({
        primary,
        replica: await createMongoStore(config.MONGO_READ_URL, { readOnly: true }),
        redisUrl: config.REDIS_URL,
        sentinel,
        windowMs: config.READ_YOUR_WRITES_MS,
      })
    : primary;
const files = exportFiles(config.EXPORT_DIR);

// A worker must ride out a Redis restart and never give up on a command: that is what BullMQ's
// `maxRetriesPerRequest: null` asks of an ioredis connection. node-redis behaves so by default:
// commands wait in its offline queue while it reconnects, with no per-command retry limit.
const client = sentinel
  ? queueConnection(sentinel, { failFast: false })
  : createClient({ url: config.REDIS_URL });
const worker = new Worker<ExportData, ExportResult>(
  EXPORT_QUEUE,
  exportProcessor({ store, files, pageSize: config.EXPORT_PAGE_SIZE }),
  {
    connection: client instanceof Redis ? client : createNodeRedisClient(client),
    concurrency: config.WORKER_CONCURRENCY,
    lockDuration: config.JOB_LOCK_MS,
    stalledInterval: config.JOB_LOCK_MS,
    // a job whose worker died is handed to another worker once; if that one dies too, it fails
    maxStalledCount: 1,
  },
);
reportRedisErrors("worker", worker);
worker.on("completed", (job, result) =>
  console.log(`export ${job.id} completed: ${result.rows} rows, ${result.bytes} bytes`),
);
worker.on("stalled", (jobId) =>
  console.log(`export ${jobId} stalled (its worker stopped renewing the lock): back in the queue`),
);
worker.on("failed", (job, error) =>
  console.log(
    `export ${job?.id} attempt ${job?.attemptsMade}/${job?.opts.attempts} failed: ${error.message}`,
  ),
);

// finished exports expire with their jobs
const sweep = () => void files.sweep(RESULT_TTL_MS).catch((error: Error) => console.error(error.message));
sweep();
setInterval(sweep, 60_000).unref();

let stopping = false;
const shutdown = async (signal: NodeJS.Signals) => {
  if (stopping) {
    // a second signal: leave now; the job's lock expires and another worker takes it over
    console.error(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(`${signal}: finishing the exports in progress, then exiting`);
  // past the grace period (or with Redis gone, when nothing can finish) leave anyway: the job's lock
  // expires and another worker takes it over, as if this one had been killed
  setTimeout(() => {
    console.error(`still busy after ${config.SHUTDOWN_GRACE_MS} ms: exiting; the job goes to another worker`);
    process.exit(1);
  }, config.SHUTDOWN_GRACE_MS).unref();
  await worker.close();
  await store.close();
  if (client instanceof Redis) client.disconnect();
  else if (client.isOpen) await client.close();
  process.exit(0);
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

await worker.waitUntilReady();
console.log(
  `stage 09-scale-out worker taking "${EXPORT_QUEUE}" jobs from ${sentinel ? describeSentinel(sentinel) : redactedRedisUrl(config.REDIS_URL)} ` +
    `(store: ${description}, concurrency: ${config.WORKER_CONCURRENCY}, files: ${config.EXPORT_DIR})`,
);
