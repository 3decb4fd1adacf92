import { integer, oneOf, type Setting } from "@zero-to-one/server-kit";
import { redacted, secretUrl } from "./secrets.js";

/** REDIS_URL=redis://:password@host:6379 when Redis asks for a password (it does in this stage). */
const redisUrl: Setting<string> = (name, raw) =>
  secretUrl(["redis:", "rediss:"])(name, raw) ?? "redis://127.0.0.1:6379";

/** The settings of the cache; the server and the seed script read the same ones. */
export const cacheSettings = {
  REDIS_URL: redisUrl,
  /** How long a worker may answer from its own memory (L1); 0 turns L1 off, to measure Redis alone. */
  CACHE_L1_MS: integer(1_000, { min: 0, max: 60_000 }),
  /** What a write does to the page in Redis: store the new one ("refresh"), or drop it ("invalidate"). */
  CACHE_ON_WRITE: oneOf(["refresh", "invalidate"]),
  /** How long a built page counts as fresh; short lifetimes make it expire often, to watch a stampede. */
  CACHE_FRESH_MS: integer(10_000, { min: 50, max: 3_600_000 }),
  /**
   * "on": a lock, a stale copy, early refresh, and "not found" remembered. "off" exists for the lesson
   * only: the naive cache, to measure what the protections save (npm run bench:stampede).
   */
  CACHE_PROTECTION: oneOf(["on", "off"]),
};

/** A Redis URL fit for a log line: the password, if any, left out. */
export const redactedRedisUrl = redacted;
