import { createClient, createSentinel } from "redis";
import type { SentinelTarget } from "./redis-sentinel.js";
import { createDeadline } from "./deadline.js";

export type RedisClient = ReturnType<typeof createClient>;

const failFast = {
  disableOfflineQueue: true,
  commandOptions: { timeout: 0 },
  socket: {
    connectTimeout: 1000,
    reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
  },
};

/**
 * A node-redis client that fails fast instead of waiting: while Redis is unreachable a command
 * rejects at once (no offline queue), so a request can fall back to the store. (A Redis that hangs
 * instead is bounded by whoever waits for it: see deadline.ts.) It reconnects by itself, retrying
 * at most once a second.
 *
 * node-redis 6 gives every command a 5 s timeout of its own, built from an AbortSignal.timeout();
 * under load those cost a worker more CPU than a cache hit, so they are off (0) and deadline.ts keeps
 * one timer for every pending command instead.
 *
 * With `sentinel`, it asks the Sentinels where the primary is, and follows a failover to the
 * replica they promote. It answers the same commands as a client, so it is used as one.
 */
export function createRedisClient(url: string, sentinel?: SentinelTarget): RedisClient {
  if (!sentinel) return createClient({ url, ...failFast });
  const password = sentinel.password ? { password: sentinel.password } : {};
  return createSentinel({
    name: sentinel.name,
    sentinelRootNodes: sentinel.sentinels,
    nodeClientOptions: { ...failFast, ...password },
    // the Sentinels ask for the same password as the servers they watch
    sentinelClientOptions: { socket: { connectTimeout: 1000 }, ...password },
    // keep asking until a primary answers, however long, as a plain client keeps reconnecting
    maxCommandRediscovers: Infinity,
    // a lost primary is reported like a lost connection, so the caches bypass Redis meanwhile
    passthroughClientErrorEvents: true,
  }) as unknown as RedisClient;
}

/**
 * Closes a client at shutdown: commands already sent get `waitMs` to be answered, then the connection
 * is dropped, so a Redis that hangs cannot hold the process past its drain.
 */
export async function closeRedisClient(
  client: Pick<RedisClient, "isReady" | "close" | "destroy">,
  waitMs: number,
): Promise<void> {
  try {
    if (!client.isReady) return client.destroy();
    await createDeadline(waitMs)(client.close()).catch(() => client.destroy());
  } catch {
    // already closed
  }
}
