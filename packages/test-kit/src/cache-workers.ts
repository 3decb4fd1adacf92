import { randomUUID } from "node:crypto";
import { NO_REDIS_URL } from "./stage-redis.js";

/** What the tests need of a stage's first-page cache. */
interface CacheLike {
  whenUp(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** What the tests need of a stage's not-found cache. */
interface ClosableLike {
  close(): Promise<void>;
}

interface AppLike {
  request(path: string, init?: RequestInit): Response | Promise<Response>;
}

/** What a test sets of a first-page cache: where, and any of the stage's own `Settings` (e.g. a suite's). */
type CacheSettings<Settings> = Partial<Settings> & { redisUrl: string; namespace: string };

export interface CacheWorkersOptions<
  Store,
  Settings,
  Cache extends CacheLike,
  NotFound extends ClosableLike,
  App extends AppLike,
  Key extends unknown[] = [],
> {
  /** The stage's createFirstPageCache. */
  createFirstPageCache: (
    settings: CacheSettings<Settings> & {
      load: (...key: Key) => Promise<string>;
      log: (line: string) => void;
    },
  ) => Cache;
  /** The stage's createNotFoundCache: the same Redis and settings, a namespace of its own. */
  createNotFoundCache: (settings: CacheSettings<Settings>) => NotFound;
  /**
   * The stage's renderFirstPage: what the cache loads from the store. From stage 08 on the cache
   * keeps a page per user and asks for one by its `key` (the owner), which is passed on.
   */
  renderFirstPage: (store: Store, ...key: Key) => Promise<string>;
  /** The stage's createApp over a store with those caches in front of it. */
  app: (store: Store, firstPage: Cache, notFoundCache: NotFound) => App;
}

/** A real store that counts the page queries (`list`) and the lookups by id (`get`) that reach it. */
export function countPageQueries<Store extends { list(page: never): unknown; get(id: string): unknown }>(
  store: Store,
) {
  const counted = {
    pageQueries: 0,
    idQueries: 0,
    store: {
      ...store,
      list: (page: never) => {
        counted.pageQueries++;
        return store.list(page);
      },
      get: (id: string) => {
        counted.idQueries++;
        return store.get(id);
      },
    },
  };
  return counted;
}

/**
 * A stage's app with its first-page cache (06+), as its tests run it in-process: quiet, and
 * connected to Redis before the first request.
 */
export function cacheWorkers<
  Store,
  Settings,
  Cache extends CacheLike,
  NotFound extends ClosableLike,
  App extends AppLike,
  Key extends unknown[] = [],
>({
  createFirstPageCache,
  createNotFoundCache,
  renderFirstPage,
  app,
}: CacheWorkersOptions<Store, Settings, Cache, NotFound, App, Key>) {
  /** Quiet, loading from `store`; the stage's own defaults for everything `settings` leaves out. */
  const cacheFor = (store: Store, settings: CacheSettings<Settings>) =>
    createFirstPageCache({
      load: (...key: Key) => renderFirstPage(store, ...key),
      log: () => {},
      ...settings,
    });
  const notFoundFor = (settings: CacheSettings<Settings>) =>
    createNotFoundCache({ ...settings, namespace: `${settings.namespace}:not-found` });
  const openCaches = new Set<ClosableLike>();

  return {
    /**
     * What one cluster worker has: its own app, its own L1 and its own Redis connections. Workers
     * started with the same namespace share the cache in Redis, like the workers of one server.
     */
    async startWorker(store: Store, settings: CacheSettings<Settings>) {
      const firstPage = cacheFor(store, settings);
      const notFoundCache = notFoundFor(settings);
      if (!(await firstPage.whenUp(5_000))) throw new Error(`Redis at ${settings.redisUrl} did not answer`);
      const served = app(store, firstPage, notFoundCache);
      return {
        firstPage,
        notFoundCache,
        request: async (path: string, init?: RequestInit) => served.request(path, init),
        close: async () => void (await Promise.all([firstPage.close(), notFoundCache.close()])),
      };
    },

    /**
     * The app as the earlier stages' tests knew it, now with its cache in front of the store, once
     * the cache is connected; each call gets its own namespace in Redis. `redisUrl` is undefined
     * when there is no Redis: the cache then bypasses, and the app answers from the store.
     */
    async cachedApp(store: Store, redisUrl: string | undefined) {
      const noSettings: Partial<Settings> = {};
      const settings = {
        ...noSettings,
        redisUrl: redisUrl ?? NO_REDIS_URL,
        namespace: `test:${randomUUID()}`,
      };
      const firstPage = cacheFor(store, settings);
      const notFoundCache = notFoundFor(settings);
      openCaches.add(firstPage).add(notFoundCache);
      if (redisUrl && !(await firstPage.whenUp(5_000)))
        throw new Error(`Redis at ${redisUrl} did not answer`);
      return app(store, firstPage, notFoundCache);
    },

    /** Closes the Redis connections of every app `cachedApp` made (call it in afterAll). */
    async closeCachedApps() {
      await Promise.all([...openCaches].map((cache) => cache.close()));
      openCaches.clear();
    },
  };
}
