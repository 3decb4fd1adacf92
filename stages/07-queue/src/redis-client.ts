import { createClient } from "redis";

export type RedisClient = ReturnType<typeof createClient>;

/**
 * A node-redis client that fails fast instead of waiting: while Redis is unreachable a command
 * rejects at once (no offline queue) or after `commandTimeoutMs`, so a request can fall back to
 * the store. It reconnects by itself, retrying at most once a second.
 */
export function createRedisClient(url: string, commandTimeoutMs = 500): RedisClient {
  return createClient({
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  });
}
