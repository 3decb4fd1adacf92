// PROVISIONAL
import { integer, optionalUrl, port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp } from "./app.js";
import { exportFiles } from "./export-files.js";
import { createExportQueue } from "./queue.js";
import { openSqliteStore } from "./sqlite-store.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  DB_PATH: text(".data/todo.db"),
  REDIS_URL: optionalUrl(["redis:", "rediss:"]),
  EXPORT_DIR: text(".data/exports"),
  EXPORT_PAGE_SIZE: integer(500, { min: 1, max: 10_000 }),
  EXPORT_ATTEMPTS: integer(3, { min: 1, max: 20 }),
  EXPORT_BACKOFF_MS: integer(2_000, { min: 0, max: 3_600_000 }),
});
const store = openSqliteStore(config.DB_PATH);
const queue = createExportQueue({
  redisUrl: config.REDIS_URL ?? "redis://127.0.0.1:6379",
  attempts: config.EXPORT_ATTEMPTS,
  backoffMs: config.EXPORT_BACKOFF_MS,
});
const files = exportFiles(config.EXPORT_DIR);

await serveGracefully({
  fetch: createApp({ store, queue, files, pageSize: config.EXPORT_PAGE_SIZE }).fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) => console.log(`stage 07-queue listening on ${url}/todo (store: ${store.kind})`),
  onClose: async () => {
    await queue.close();
    await store.close();
  },
});
