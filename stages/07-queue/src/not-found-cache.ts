import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";
import type { Todo } from "./store.js";

/**
 * The ids our stores make: a UUID (SQLite) or an ObjectId's 24 hex digits (MongoDB). Anything else
 * cannot name a todo, so neither Redis nor the store is asked about it.
 */
const TODO_ID = /^(?:[0-9a-f]{24}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export interface NotFoundCacheOptions {
  redisUrl: string;
  /** Prefix of the Redis keys. */
  namespace?: string;
  /** How long a "not found" is remembered. */
  ttlMs?: number;
  /** The longest a lookup waits for Redis before it asks the store. */
  commandTimeoutMs?: number;
  /** "off" (CACHE_PROTECTION=off): every lookup reads the store, as if this cache were not there. */
  protection?: "on" | "off";
}

/**
 * Penetration (缓存穿透): a request for a todo that does not exist finds nothing to cache, so it
 * reaches the store every time. This remembers, for a few seconds, the ids the store did not have.
 *
 * It cannot answer wrongly: ids are made by the server when a todo is created, never reused and never
 * chosen by a client, so no todo can appear later under an id remembered as missing; and a todo that
 * was found is never cached here, so a delete leaves nothing behind.
 */
export function createNotFoundCache({
  redisUrl,
  namespace = "zto:not-found",
  ttlMs = 5_000,
  commandTimeoutMs = 500,
  protection = "on",
}: NotFoundCacheOptions) {
  /** What this worker's lookups did: for tests, and shown in /healthz. */
  const stats = { storeReads: 0, remembered: 0, malformed: 0 };
  const fromStore = (id: string, load: (id: string) => Promise<Todo | undefined>) => {
    stats.storeReads++;
    return load(id);
  };
  if (protection === "off") {
    return { stats, get: fromStore, close: async () => {} };
  }

  const redis = createRedisClient(redisUrl);
  // the first-page cache logs Redis going and coming back; here a failed command just asks the store
  redis.on("error", () => {});
  redis.connect().catch(() => {});
  const bounded = createDeadline(commandTimeoutMs);
  const key = (id: string) => `${namespace}:${id}`;

  return {
    stats,

    /** The todo, from `load` unless the id cannot exist or was not found a moment ago. */
    async get(id: string, load: (id: string) => Promise<Todo | undefined>): Promise<Todo | undefined> {
      if (!TODO_ID.test(id)) {
        stats.malformed++;
        return undefined;
      }
      // Redis away or slow: the store answers, as it would without this cache
      const known = redis.isReady ? await bounded(redis.exists(key(id))).catch(() => 0) : 0;
      if (known) {
        stats.remembered++;
        return undefined;
      }
      const todo = await fromStore(id, load);
      if (!todo && redis.isReady) {
        await bounded(redis.set(key(id), "", { expiration: { type: "PX", value: ttlMs } })).catch(() => {});
      }
      return todo;
    },

    close: () => closeRedisClient(redis, commandTimeoutMs),
  };
}

export type NotFoundCache = ReturnType<typeof createNotFoundCache>;
