import { integer, optionalUrl, port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp } from "./app.js";
import { exportFiles } from "./export-files.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { createExportQueue, exportSettings } from "./queue.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  ...storeSettings,
  REDIS_URL: optionalUrl(["redis:", "rediss:"]),
  ...exportSettings,
  EXPORT_ATTEMPTS: integer(3, { min: 1, max: 20 }),
  EXPORT_BACKOFF_MS: integer(2_000, { min: 0, max: 3_600_000 }),
});
const redisUrl = config.REDIS_URL ?? "redis://127.0.0.1:6379";
const { store, description } = await openStoreOrExit(config);
const queue = createExportQueue({
  redisUrl,
  attempts: config.EXPORT_ATTEMPTS,
  backoffMs: config.EXPORT_BACKOFF_MS,
});
const exports = { queue, files: exportFiles(config.EXPORT_DIR), pageSize: config.EXPORT_PAGE_SIZE };

await serveGracefully({
  fetch: createApp({ store, exports }).fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) =>
    console.log(
      `stage 07-queue listening on ${url}/todo (store: ${description}), exports queued on redis at ` +
        `${redisUrl.replace(/\/\/[^@/]*@/, "//…@")}: run \`npm run worker\` to process them`,
    ),
  onClose: async () => {
    await queue.close();
    await store.close();
  },
});
