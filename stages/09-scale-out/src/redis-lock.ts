import { randomUUID } from "node:crypto";
import type { RedisClient } from "./redis-client.js";

/** Deletes the lock only if it still holds our token: never someone else's lock after ours expired. */
const COMPARE_AND_DELETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * One holder at a time across every worker and machine that shares the Redis. The lock expires
 * by itself after `ttlMs`, so a holder that crashes cannot block everyone forever.
 */
export function createRedisLock(redis: RedisClient, key: string, ttlMs: number) {
  return {
    /** A token when we got the lock, undefined when someone else holds it. */
    async acquire(): Promise<string | undefined> {
      const token = randomUUID();
      const reply = await redis.set(key, token, {
        condition: "NX",
        expiration: { type: "PX", value: ttlMs },
      });
      return reply === "OK" ? token : undefined;
    },

    async release(token: string): Promise<void> {
      await redis.eval(COMPARE_AND_DELETE, { keys: [key], arguments: [token] });
    },
  };
}
