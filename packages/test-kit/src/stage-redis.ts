import { startTestRedis, type RedisOrReason } from "./redis.js";

/** An address where nothing listens: a stage given it as REDIS_URL runs with its cache bypassed. */
export const NO_REDIS_URL = "redis://127.0.0.1:1";

export type StageRedis = RedisOrReason & {
  /** For the stage's processes: the Redis, or NO_REDIS_URL when there is none. */
  REDIS_URL: string;
  /** For in-process apps: the Redis, or undefined when there is none (their cache then bypasses). */
  redisUrl: string | undefined;
};

/**
 * One Redis for what a test file starts of a stage with a cache (06+): REDIS_URL when given, else a
 * throwaway redis-server, so a learner's Redis on :6379 is never touched. Without one the stage still
 * runs, its cache bypassed, and `skipped` says why for the suites that need a real Redis. It prints
 * nothing: a file whose suites all run, bypassed or not, has no `skipped:` line. `options` as for
 * startTestRedis (a stage whose Redis asks for a password).
 */
export async function startStageRedis(
  options: Parameters<typeof startTestRedis>[0] = {},
): Promise<StageRedis> {
  const started = await startTestRedis(options);
  const redisUrl = started.redis?.url;
  return { ...started, REDIS_URL: redisUrl ?? NO_REDIS_URL, redisUrl };
}
