import { cacheWorkers, countPageQueries, freshDbPath } from "@zero-to-one/test-kit";
import { createApp, renderFirstPage } from "../src/app.js";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createNotFoundCache } from "../src/not-found-cache.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { testExports } from "./exports-fixture.js";

/** A real SQLite store that counts the page queries that reach it. */
export const countingStore = () => countPageQueries(createSqliteStore(freshDbPath("zto-08-secure-")));

/** The app with its caches and export queue, in-process: as one cluster worker has it. */
export const { startWorker, cachedApp, closeCachedApps } = cacheWorkers({
  createFirstPageCache,
  createNotFoundCache,
  renderFirstPage,
  app: (store, firstPage, notFoundCache) =>
    createApp({ store, firstPage, notFoundCache, exports: testExports() }),
});
