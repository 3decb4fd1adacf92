import { createClient } from "redis";
import { createDeadline } from "./deadline.js";

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A node-redis client that fails fast instead of waiting: while Redis is unreachable a command
 * rejects at once (no offline queue), so a request can fall back to the store. (A Redis that hangs
 * instead is bounded by whoever waits for it: see deadline.ts.) It reconnects by itself, retrying
 * at most once a second.
 *
 * node-redis 6 gives every command a 5 s timeout of its own, built from an AbortSignal.timeout();
 * under load those cost a worker more CPU than a cache hit, so they are off (0) and deadline.ts keeps
 * one timer for every pending command instead.
 */
export function createRedisClient(url: string): RedisClient {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: 0 },
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  });
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
