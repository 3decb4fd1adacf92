import { integer } from "@zero-to-one/server-kit";
import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";
import type { SentinelTarget } from "./redis-sentinel.js";
import { secretUrl } from "./secrets.js";
import type { Owner, TodoStore } from "./store.js";

export const readRoutingSettings = {
  /** A replica of MONGO_URL's database: the reads that may be a moment old go there. */
  MONGO_READ_URL: secretUrl(["mongodb:", "mongodb+srv:"]),
  /** How long after a user's write that user's reads still go to the primary. */
  READ_YOUR_WRITES_MS: integer(2_000, { min: 0, max: 600_000 }),
};

export interface ReadRoutingOptions<S extends TodoStore> {
  /** Takes every write, and the reads that must see them. */
  primary: S;
  /** A copy of the primary that may lag behind it: the other todo reads. */
  replica: TodoStore;
  /** Where each user's last write is remembered, so every API host routes that user alike. */
  redisUrl: string;
  sentinel?: SentinelTarget;
  /** READ_YOUR_WRITES_MS: a fixed window, meant to be longer than the replica ever lags. */
  windowMs: number;
  namespace?: string;
  /** After a failed replica read, how long reads go straight to the primary before it is tried again. */
  retryReplicaMs?: number;
  commandTimeoutMs?: number;
  log?: (line: string) => void;
}

/**
 * Read/write split with read-your-writes. Writes go to the primary; a user's todo reads go to the
 * replica, except for `windowMs` after that user's own write, when they go to the primary too, so a
 * writer always reads back what it just wrote (the same idea as Rails' database selector and its
 * delay). The window is fixed, not measured: a replica that lags longer than it can still show a
 * writer an old page. Todos are per user, so one user's writes never need another user's reads
 * moved. Accounts always read the primary: a sign-up must be able to log in at once.
 *
 * Whenever the answer is in doubt (Redis unreachable, the replica down or slow) the read goes to
 * the primary: correct before fast.
 */
export function routeReads<S extends TodoStore>({
  primary,
  replica,
  redisUrl,
  sentinel,
  windowMs,
  namespace = "zto:wrote",
  retryReplicaMs = 5_000,
  commandTimeoutMs = 500,
  log = (line: string) => console.error(line),
}: ReadRoutingOptions<S>): S {
  const redis = createRedisClient(redisUrl, sentinel);
  redis.on("error", () => {});
  redis.connect().catch(() => {});
  const bounded = createDeadline(commandTimeoutMs);
  const key = (owner: Owner) => `${namespace}:${owner}`;
  /** Writes whose mark could not be stored in Redis: this process at least still routes them right. */
  const unmarked = new Map<Owner, number>();
  let replicaDownUntil = 0;

  const wrote = async (owner: Owner) => {
    try {
      if (!redis.isReady) throw new Error("Redis is not connected");
      await bounded(redis.set(key(owner), "1", { expiration: { type: "PX", value: windowMs } }));
    } catch {
      unmarked.set(owner, performance.now() + windowMs);
    }
  };

  const wroteRecently = async (owner: Owner) => {
    const until = unmarked.get(owner);
    if (until !== undefined && until > performance.now()) return true;
    unmarked.delete(owner);
    if (!redis.isReady) return true;
    return bounded(redis.exists(key(owner))).then(
      (found) => found === 1,
      () => true,
    );
  };

  const read =
    <A extends unknown[], R>(method: (store: TodoStore) => (owner: Owner, ...args: A) => Promise<R>) =>
    async (owner: Owner, ...args: A): Promise<R> => {
      if (Date.now() < replicaDownUntil || (await wroteRecently(owner)))
        return method(primary)(owner, ...args);
      try {
        const answer = await method(replica)(owner, ...args);
        if (replicaDownUntil !== 0) log("read store answers again: reads go to it again");
        replicaDownUntil = 0;
        return answer;
      } catch (error) {
        if (replicaDownUntil === 0) {
          log(
            `read store unreachable (${error instanceof Error ? error.message : String(error)}): ` +
              `reads go to the primary until it answers`,
          );
        }
        replicaDownUntil = Date.now() + retryReplicaMs;
        return method(primary)(owner, ...args);
      }
    };

  const write =
    <A extends unknown[], R>(method: (owner: Owner, ...args: A) => Promise<R>) =>
    async (owner: Owner, ...args: A): Promise<R> => {
      const result = await method(owner, ...args);
      await wrote(owner);
      return result;
    };

  return {
    ...primary,
    list: read((s) => s.list),
    listBefore: read((s) => s.listBefore),
    count: read((s) => s.count),
    get: read((s) => s.get),
    add: write(primary.add),
    finish: write(primary.finish),
    remove: write(primary.remove),
    close: async () => {
      await Promise.allSettled([primary.close(), replica.close()]);
      await closeRedisClient(redis, commandTimeoutMs);
    },
  };
}
