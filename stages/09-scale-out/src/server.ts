import {
  integer,
  port,
  readConfigOrExit,
  SECURITY_HEADERS,
  serveGracefully,
  text,
} from "@zero-to-one/server-kit";
import cluster from "node:cluster";
import { availableParallelism, hostname } from "node:os";
import { createApp, renderFirstPage } from "./app.js";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { addressList } from "./client-address.js";
import { crossSiteGuard } from "./csrf.js";
import { exportFiles } from "./export-files.js";
import { createFirstPageCache } from "./first-page-cache.js";
import { createMongoStore } from "./mongo-store.js";
import { createNotFoundCache } from "./not-found-cache.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { exitWhenReleased, runPrimary } from "./primary.js";
import { publicOriginSetting } from "./public-origin.js";
import { createExportQueue, exportSettings } from "./queue.js";
import { createRateLimits, rateLimitSettings } from "./rate-limit.js";
import { readRoutingSettings, routeReads } from "./read-routing.js";
import { describeSentinel, sentinelSettings, sentinelTargetOrExit } from "./redis-sentinel.js";
import { redacted } from "./secrets.js";
import { createSessions, sessionSettings } from "./sessions.js";
import { createTokenBuckets } from "./token-bucket.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  // which host answered: in X-Served-By on every response and in /healthz, for the load balancer's tests
  HOST_NAME: text(hostname()),
  // one worker per core is enough in Node: each worker is already asynchronous (see the chapter)
  WORKERS: integer(availableParallelism(), { min: 1, max: 256 }),
  TRUSTED_PROXY: addressList("127.0.0.1"),
  ...storeSettings,
  ...cacheSettings,
  ...sentinelSettings,
  ...readRoutingSettings,
  ...sessionSettings,
  ...rateLimitSettings,
  PUBLIC_ORIGIN: publicOriginSetting,
  ...exportSettings,
  EXPORT_ATTEMPTS: integer(3, { min: 1, max: 20 }),
  EXPORT_BACKOFF_MS: integer(2_000, { min: 0, max: 3_600_000 }),
});
// one Redis for the cache and the sessions unless SESSION_REDIS_URL names another
const sessionRedisUrl = config.SESSION_REDIS_URL ?? config.REDIS_URL;
// with Sentinels, every Redis connection (sessions included) follows the primary they name
const sentinel = sentinelTargetOrExit(config);
if (config.MONGO_READ_URL && !config.MONGO_URL) {
  console.error("config error: MONGO_READ_URL is a replica of MONGO_URL's database: set MONGO_URL too");
  process.exit(1);
}

if (cluster.isPrimary) {
  // the primary opens no store and serves nothing: it forks, watches and replaces the workers
  const store = config.MONGO_URL
    ? `mongo at ${redacted(config.MONGO_URL)}` + // no password in the log
      (config.MONGO_READ_URL ? `, reads at ${redacted(config.MONGO_READ_URL)}` : "")
    : `sqlite at ${config.DB_PATH}`;
  const cache =
    (sentinel ? describeSentinel(sentinel) : `redis at ${redactedRedisUrl(config.REDIS_URL)}`) +
    (config.CACHE_PROTECTION === "off" ? ", protection OFF: no lock, no stale copy, no not-found cache" : "");
  const sessions =
    sessionRedisUrl === config.REDIS_URL || sentinel
      ? "the same redis"
      : `redis at ${redactedRedisUrl(sessionRedisUrl)}`;
  runPrimary({
    workers: config.WORKERS,
    onReady: ({ pids, port }) => {
      const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
      console.log(
        `stage 09-scale-out listening on http://${host}:${port}/todo ` +
          `(store: ${store}, cache: ${cache}, sessions: ${sessions}, ` +
          `${pids.length} workers: pids ${pids.join(", ")}; primary pid ${process.pid})` +
          `, exports queued on the same redis for \`npm run worker\`; this host is ${config.HOST_NAME}`,
      );
    },
  });
} else {
  // each worker: its own store connection and its own caches (the first page: L1 in its memory and
  // two Redis connections; the ids not found: one more)
  const { store: primary } = await openStoreOrExit(config);
  // with a replica: reads that may be a moment old go to it, a writer's own reads to the primary
  const store = config.MONGO_READ_URL
    ? routeReads({
        primary,
        replica: await createMongoStore(config.MONGO_READ_URL, { readOnly: true }),
        redisUrl: config.REDIS_URL,
        sentinel,
        windowMs: config.READ_YOUR_WRITES_MS,
      })
    : primary;
  // who is signed in: in Redis, so every worker and every host sees the same sessions
  const sessions = createSessions({
    redisUrl: sessionRedisUrl,
    sentinel,
    ttlSeconds: config.SESSION_TTL_S,
  });
  // the rate limits' buckets: counters that expire, like the cache, so on the cache's Redis; every
  // worker and host that shares it shares them
  const buckets = createTokenBuckets({ redisUrl: config.REDIS_URL, sentinel });
  // the long task goes on the queue; any worker process, on any machine, takes it from there
  const exports = {
    queue: createExportQueue({
      redisUrl: config.REDIS_URL,
      sentinel,
      attempts: config.EXPORT_ATTEMPTS,
      backoffMs: config.EXPORT_BACKOFF_MS,
    }),
    files: exportFiles(config.EXPORT_DIR),
    pageSize: config.EXPORT_PAGE_SIZE,
  };
  const firstPage = createFirstPageCache({
    redisUrl: config.REDIS_URL,
    sentinel,
    l1MaxAgeMs: config.CACHE_L1_MS,
    onWrite: config.CACHE_ON_WRITE,
    freshMs: config.CACHE_FRESH_MS,
    protection: config.CACHE_PROTECTION,
    load: (owner) => renderFirstPage(store, owner),
  });
  const notFoundCache = createNotFoundCache({
    redisUrl: config.REDIS_URL,
    sentinel,
    protection: config.CACHE_PROTECTION,
  });
  // a moment for Redis to answer, so the first requests already use the cache; it never blocks start-up
  await firstPage.whenUp(1_000);
  // Ctrl-C and a closed terminal signal the whole process group: only the primary decides what happens
  process.on("SIGINT", () => {});
  process.on("SIGHUP", () => {});
  await serveGracefully({
    fetch: createApp({
      store,
      sessions,
      exports,
      firstPage,
      notFoundCache,
      hostName: config.HOST_NAME,
      trustedProxies: config.TRUSTED_PROXY,
      origin: config.PUBLIC_ORIGIN,
      rateLimits: createRateLimits({
        buckets,
        api: config.RATE_LIMIT_API,
        login: config.RATE_LIMIT_LOGIN,
        trustedProxies: config.TRUSTED_PROXY,
      }),
      csrf: crossSiteGuard({ trustedProxies: config.TRUSTED_PROXY, origin: config.PUBLIC_ORIGIN }),
    }).fetch,
    port: config.PORT,
    hostname: config.HOST,
    headers: { ...SECURITY_HEADERS, "X-Served-By": config.HOST_NAME },
    signals: ["SIGTERM"],
    onClose: async () => {
      await Promise.all([firstPage.close(), notFoundCache.close(), sessions.close(), buckets.close()]);
      await exports.queue.close();
      await store.close();
    },
    exit: exitWhenReleased,
  });
}
