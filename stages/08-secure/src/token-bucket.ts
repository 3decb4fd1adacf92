import { createHash } from "node:crypto";
import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";

/**
 * Token buckets in Redis. A bucket holds at most `burst` tokens and gains `perSecond` of them every
 * second; a request takes one. Each bucket is a hash of two fields, the tokens left and when they
 * were counted, so refilling is arithmetic on the next request, not a timer.
 *
 * Reading, refilling and taking happen in one script: Redis runs it alone, so two workers (or two
 * machines) that take the last token at the same moment cannot both get it. Several buckets are
 * taken together or not at all: a login attempt costs a token from its address's bucket and from
 * its username's, and one that is refused by either costs neither.
 *
 * The time is Redis's own (TIME), so every worker counts on one clock; ARGV[1] overrides it for
 * tests. A bucket that is full again expires, so idle clients cost Redis nothing.
 *
 * Reply: 1 or 0 (taken or not), then for each bucket the whole tokens left and the milliseconds
 * until it has one more (never full after a request: a refused one found it short of one token).
 */
const TAKE = `
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local tokens, taken = {}, 1
for i, key in ipairs(KEYS) do
  local burst, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local saved = redis.call('HMGET', key, 'tokens', 'at')
  local have = tonumber(saved[1]) or burst
  local since = math.max(0, now - (tonumber(saved[2]) or now))
  tokens[i] = math.min(burst, have + since * rate / 1000)
  if tokens[i] < 1 then taken = 0 end
end
local reply = { taken }
for i, key in ipairs(KEYS) do
  local burst, rate = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local have = tokens[i] - taken
  redis.call('HSET', key, 'tokens', tostring(have), 'at', now)
  redis.call('PEXPIRE', key, math.ceil((burst - have) / rate * 1000) + 1000)
  table.insert(reply, math.floor(have))
  table.insert(reply, math.ceil((1 - (have - math.floor(have))) / rate * 1000))
end
return reply`;

const TAKE_SHA = createHash("sha1").update(TAKE).digest("hex");

export interface Bucket {
  key: string;
  burst: number;
  perSecond: number;
}

export interface BucketState {
  /** Whole tokens left after this request. */
  remaining: number;
  /** Milliseconds until it holds one more: when `remaining` is 0, how long until a request may pass. */
  nextTokenMs: number;
}

export interface Taken {
  allowed: boolean;
  buckets: BucketState[];
}

/** Redis cannot answer: the caller decides whether that lets the request through (see rate-limit.ts). */
export class BucketsUnavailableError extends Error {
  override name = "BucketsUnavailableError";
}

export interface TokenBucketsOptions {
  redisUrl: string;
  /** The longest a request waits for Redis before the buckets count as unavailable. */
  commandTimeoutMs?: number;
  /** Milliseconds since the epoch instead of Redis's TIME: a fake clock for tests. */
  now?: () => number;
}

/** One Redis connection per worker; every worker that shares the Redis shares the buckets. */
export function createTokenBuckets({ redisUrl, commandTimeoutMs = 500, now }: TokenBucketsOptions) {
  const redis = createRedisClient(redisUrl);
  // a Redis that is down is reported per request (BucketsUnavailableError), not as an event
  redis.on("error", () => {});
  redis.connect().catch(() => {});
  const bounded = createDeadline(commandTimeoutMs);

  // EVALSHA sends 40 characters instead of the script; a Redis that has not seen the script yet
  // (restarted, or flushed) answers NOSCRIPT, and EVAL sends it once, which also caches it there
  const run = async (options: { keys: string[]; arguments: string[] }) => {
    try {
      return await redis.evalSha(TAKE_SHA, options);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
      return redis.eval(TAKE, options);
    }
  };

  return {
    /** Takes one token from every bucket, or from none of them when one is empty. */
    async take(buckets: readonly Bucket[]): Promise<Taken> {
      if (!redis.isReady) throw new BucketsUnavailableError("Redis is not connected");
      const args = [now ? String(now()) : ""];
      for (const bucket of buckets) args.push(String(bucket.burst), String(bucket.perSecond));
      let reply: number[];
      try {
        reply = (await bounded(run({ keys: buckets.map((b) => b.key), arguments: args }))) as number[];
      } catch (error) {
        throw new BucketsUnavailableError(error instanceof Error ? error.message : String(error));
      }
      return {
        allowed: reply[0] === 1,
        buckets: buckets.map((_, i) => ({
          remaining: reply[1 + 2 * i]!,
          nextTokenMs: reply[2 + 2 * i]!,
        })),
      };
    },

    close: () => closeRedisClient(redis, commandTimeoutMs),
  };
}

export type TokenBuckets = ReturnType<typeof createTokenBuckets>;
