import { createProgress, integer, readConfigOrExit } from "@zero-to-one/server-kit";
import { parseArgs } from "node:util";
import { renderFirstPage } from "./app.js";
import { cacheSettings, redactedRedisUrl } from "./cache-settings.js";
import { createFirstPageCache } from "./first-page-cache.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { seededTodos } from "./seed-data.js";
import { now } from "./store.js";

const usage = "usage: npm run seed -- [--count N] [--reset]   (N defaults to 10,000, as in the article)";

let args;
try {
  args = parseArgs({
    options: { count: { type: "string" }, reset: { type: "boolean" }, help: { type: "boolean" } },
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(1);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const { "--count": count } = readConfigOrExit(
  { "--count": integer(10_000, { min: 0, max: 10_000_000 }) },
  { "--count": args.count },
);
const config = readConfigOrExit({ ...storeSettings, ...cacheSettings });
const { store, description } = await openStoreOrExit(config);

if (args.reset) {
  await store.clear("all");
  console.log(`--reset: removed every todo from ${description}`);
}
// Idempotent: the same N twice leaves N seeded todos; another N replaces them.
// Todos created through the API are kept (unless --reset).
const existing = await store.countSeeded();
if (existing === count) {
  console.log(`${description} already holds ${count.toLocaleString("en-US")} seeded todos: nothing to do`);
} else {
  if (existing > 0) await store.clear("seeded");
  const progress = createProgress(`seeding ${description}`, count);
  await store.insertSeeded(seededTodos(count, Math.floor(now())), (done) => progress.update(done));
  progress.finish();
}

// The seed writes behind the API's back; like every write, it must drop the cached first page.
const firstPage = createFirstPageCache({
  redisUrl: config.REDIS_URL,
  onWrite: config.CACHE_ON_WRITE,
  freshMs: config.CACHE_FRESH_MS,
  protection: config.CACHE_PROTECTION,
  load: () => renderFirstPage(store),
  log: () => {},
});
if (await firstPage.whenUp(1_000)) {
  await firstPage.invalidate();
  const done = config.CACHE_ON_WRITE === "refresh" ? "refreshed" : "invalidated";
  console.log(`cache: first page ${done} in ${redactedRedisUrl(config.REDIS_URL)}`);
} else {
  console.log(
    `cache: Redis at ${redactedRedisUrl(config.REDIS_URL)} did not answer; a running server may show ` +
      `the old first page until its cache entry expires (CACHE_FRESH_MS, 10 s by default)`,
  );
}
await firstPage.close();
await store.close();
