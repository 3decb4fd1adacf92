import { integer, oneOf, optionalUrl, type Setting } from "@zero-to-one/server-kit";

const redisUrl: Setting<string> = (name, raw) =>
  optionalUrl(["redis:", "rediss:"])(name, raw) ?? "redis://127.0.0.1:6379";

/** The settings of the cache; the server and the seed script read the same ones. */
export const cacheSettings = {
  REDIS_URL: redisUrl,
  /** How long a worker may answer from its own memory (L1); 0 turns L1 off, to measure Redis alone. */
  CACHE_L1_MS: integer(1_000, { min: 0, max: 60_000 }),
  /** What a write does to the page in Redis: store the new one ("refresh"), or drop it ("invalidate"). */
  CACHE_ON_WRITE: oneOf(["refresh", "invalidate"]),
};

/** A Redis URL fit for a log line: the password, if any, left out. */
export const redactedRedisUrl = (url: string) => url.replace(/\/\/[^@/]*@/, "//…@");
