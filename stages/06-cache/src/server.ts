import { port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp, renderFirstPage } from "./app.js";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { createFirstPageCache } from "./first-page-cache.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  ...storeSettings,
  ...cacheSettings,
});
const { store, description } = await openStoreOrExit(config);
const firstPage = createFirstPageCache({
  redisUrl: config.REDIS_URL,
  l1MaxAgeMs: config.CACHE_L1_MS,
  load: () => renderFirstPage(store),
});
// a moment for Redis to answer, so the first requests already use the cache; it never blocks start-up
await firstPage.whenUp(1_000);

await serveGracefully({
  fetch: createApp({ store, firstPage }).fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) =>
    console.log(
      `stage 06-cache listening on ${url}/todo (store: ${description}, ` +
        `cache: redis at ${redactedRedisUrl(config.REDIS_URL)})`,
    ),
  onClose: async () => {
    await firstPage.close();
    await store.close();
  },
});
