import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, renderFirstPage } from "../src/app.js";
import { testExports } from "./exports-fixture.js";
import {
  createFirstPageCache,
  type FirstPageCache,
  type FirstPageCacheOptions,
} from "../src/first-page-cache.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { TodoStore } from "../src/store.js";

/** A real SQLite store that counts the page queries that reach it. */
export function countingStore(path = join(mkdtempSync(join(tmpdir(), "zto-07-")), "todo.db")) {
  const store = createSqliteStore(path);
  const counted = {
    pageQueries: 0,
    store: {
      ...store,
      kind: store.kind,
      list: (page) => {
        counted.pageQueries++;
        return store.list(page);
      },
    } satisfies TodoStore,
  };
  return counted;
}

export type Worker = Awaited<ReturnType<typeof startWorker>>;

/**
 * What one cluster worker has: its own app, its own L1 and its own Redis connections. Workers
 * started with the same namespace share the cache in Redis, like the workers of one server.
 */
export async function startWorker(
  store: TodoStore,
  options: { redisUrl: string; namespace: string } & Partial<FirstPageCacheOptions>,
) {
  const firstPage = createFirstPageCache({ load: () => renderFirstPage(store), log: () => {}, ...options });
  if (!(await firstPage.whenUp(5_000))) throw new Error(`Redis at ${options.redisUrl} did not answer`);
  const app = createApp({ store, firstPage, exports: testExports() });
  return {
    firstPage,
    request: async (path: string, init?: RequestInit) => app.request(path, init),
    close: () => firstPage.close(),
  };
}

export const newNamespace = () => `test:${randomUUID()}`;

export { form } from "@zero-to-one/test-kit";

/**
 * The app as the earlier stages' tests knew it, now with its cache in front of the store, once the
 * cache is connected; each call gets its own namespace in Redis. `redisUrl` is undefined when no
 * redis-server exists here: the cache then bypasses, and the app answers from the store.
 */
export async function cachedApp(store: TodoStore, redisUrl: string | undefined) {
  const firstPage = createFirstPageCache({
    redisUrl: redisUrl ?? "redis://127.0.0.1:1",
    namespace: newNamespace(),
    load: () => renderFirstPage(store),
    log: () => {},
  });
  openCaches.add(firstPage);
  if (redisUrl && !(await firstPage.whenUp(5_000))) throw new Error(`Redis at ${redisUrl} did not answer`);
  return createApp({ store, firstPage, exports: testExports() });
}
const openCaches = new Set<FirstPageCache>();

/** Closes the Redis connections of every app `cachedApp` made (call it in afterAll). */
export async function closeCachedApps() {
  await Promise.all([...openCaches].map((cache) => cache.close()));
  openCaches.clear();
}
