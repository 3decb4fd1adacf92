import { cacheWorkers, freshDbPath } from "@zero-to-one/test-kit";
import { createApp, renderFirstPage } from "../src/app.js";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createNotFoundCache } from "../src/not-found-cache.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { Owner, TodoStore, UserStore } from "../src/store.js";
import { testExports } from "./exports-fixture.js";
import { asUser, ownedBy, sessions, someone, type OwnedStore } from "./signed-in.js";

type Store = TodoStore & UserStore;

/**
 * A real SQLite store that counts the page queries (`list`) and the lookups by id (`get`) that reach
 * it, seen as one owner's (ownedBy): what the shared cache suites fill and count.
 */
export function countingStore() {
  const real = createSqliteStore(freshDbPath("zto-09-scale-out-"));
  const counted = {
    pageQueries: 0,
    idQueries: 0,
    store: undefined as unknown as OwnedStore<Store>,
  };
  const store: Store = {
    ...real,
    list: (owner: Owner, page) => {
      counted.pageQueries++;
      return real.list(owner, page);
    },
    get: (owner: Owner, id) => {
      counted.idQueries++;
      return real.get(owner, id);
    },
  };
  counted.store = ownedBy(store, someone().id);
  return counted;
}

/**
 * The app with its caches, sessions and export queue, in-process, as one cluster worker has it,
 * signed in as the owner of the store view it is given.
 */
export const { startWorker, cachedApp, closeCachedApps } = cacheWorkers({
  createFirstPageCache,
  createNotFoundCache,
  // the page of whoever asks: the owner of the view, or any other user signed in to the same app
  renderFirstPage: (view: OwnedStore<Store>, owner: Owner) => renderFirstPage(view.store, owner),
  app: (view, firstPage, notFoundCache) =>
    asUser(createApp({ store: view.store, sessions, firstPage, notFoundCache, exports: testExports() }), {
      id: view.owner,
      username: "someone",
    }),
});
