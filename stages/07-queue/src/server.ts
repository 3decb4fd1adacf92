import { integer, port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp, renderFirstPage } from "./app.js";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { exportFiles } from "./export-files.js";
import { createFirstPageCache } from "./first-page-cache.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { createExportQueue, exportSettings } from "./queue.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  ...storeSettings,
  ...cacheSettings,
  ...exportSettings,
  EXPORT_ATTEMPTS: integer(3, { min: 1, max: 20 }),
  EXPORT_BACKOFF_MS: integer(2_000, { min: 0, max: 3_600_000 }),
});
const { store, description } = await openStoreOrExit(config);
const firstPage = createFirstPageCache({
  redisUrl: config.REDIS_URL,
  l1MaxAgeMs: config.CACHE_L1_MS,
  load: () => renderFirstPage(store),
});
// a moment for Redis to answer, so the first requests already use the cache; it never blocks start-up
await firstPage.whenUp(1_000);

// the long task goes on the queue; any worker process, on any machine, takes it from there
const exports = {
  queue: createExportQueue({
    redisUrl: config.REDIS_URL,
    attempts: config.EXPORT_ATTEMPTS,
    backoffMs: config.EXPORT_BACKOFF_MS,
  }),
  files: exportFiles(config.EXPORT_DIR),
  pageSize: config.EXPORT_PAGE_SIZE,
};

await serveGracefully({
  fetch: createApp({ store, exports, firstPage }).fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) =>
    console.log(
      `stage 07-queue listening on ${url}/todo (store: ${description}, ` +
        `cache: redis at ${redactedRedisUrl(config.REDIS_URL)})` +
        `, exports queued there for \`npm run worker\``,
    ),
  onClose: async () => {
    await firstPage.close();
    await exports.queue.close();
    await store.close();
  },
});
