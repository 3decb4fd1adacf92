import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";
import { createRedisLock } from "./redis-lock.js";
import { shouldRefreshEarly } from "./xfetch.js";

/**
 * What `X-Cache` tells the client about a first page:
 * - `hit`: the bytes came from the cache (this worker's L1, Redis, or a rebuild another request ran);
 * - `miss`: this request read the store and filled the cache;
 * - `stale`: an expired copy, served while one rebuild runs somewhere;
 * - `bypass`: Redis is unreachable, so the page came straight from the store.
 */
export type CacheOutcome = "hit" | "miss" | "stale" | "bypass";

export interface Served {
  body: string;
  cache: CacheOutcome;
}

export interface FirstPageCacheOptions {
  redisUrl: string;
  /** Reads the first page from the store and serializes it: the exact bytes every hit will send. */
  load: () => Promise<string>;
  /** Prefix of the Redis keys and channel; workers that share it share the cache. */
  namespace?: string;
  /** How long a built page counts as fresh. */
  freshMs?: number;
  /** How long after that an expired copy may still be served while one rebuild runs. */
  staleMs?: number;
  /**
   * "on": one rebuild at a time (lock, stale copy, early refresh, one rebuild per worker). "off", to
   * measure what that saves: the naive cache-aside, where every reader that finds no fresh page
   * reads the store and stores it, and an expired page is gone.
   */
  protection?: "on" | "off";
  /** The longest a worker keeps a page in its own memory without asking Redis. */
  l1MaxAgeMs?: number;
  /** The rebuild lock's lifetime: the longest other workers wait before reading the store themselves. */
  lockMs?: number;
  /** The longest a request waits for one Redis command before it serves from the store. */
  commandTimeoutMs?: number;
  /** The longest a write waits for every worker that holds a copy to confirm it dropped it. */
  ackTimeoutMs?: number;
  /** What a write does to the page in Redis: drop it ("invalidate"), or replace it with a fresh one ("refresh"). */
  onWrite?: "invalidate" | "refresh";
  /** XFetch's eagerness (1 is the paper's recommendation). */
  beta?: number;
  random?: () => number;
  now?: () => number;
  log?: (line: string) => void;
}

interface Entry {
  body: string;
  /** epoch ms after which the page is stale */
  freshUntil: number;
  /** how long the store read took when this page was built (XFetch's delta) */
  deltaMs: number;
}

/**
 * A read that may keep the page in its worker's memory registers the worker as a holder until
 * Redis' clock plus `l1MaxAgeMs` (ARGV[2]), in the same step as it reads the page and the
 * generation: a write's round sees every worker that can serve a copy older than the write.
 */
const HOLD_AND_READ = `
local clock = redis.call('TIME')
redis.call('ZADD', KEYS[3], clock[1] * 1000 + math.floor(clock[2] / 1000) + ARGV[2], ARGV[1])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
return {redis.call('GET', KEYS[2]) or '0', redis.call('HMGET', KEYS[1], 'body', 'fresh_until', 'delta')}`;

/** The workers whose registration has not run out on Redis' clock, joined by commas ("-": none). */
const LIVE_HOLDERS = `
local clock = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', clock[1] * 1000 + math.floor(clock[2] / 1000))
local holders = redis.call('ZRANGE', KEYS[3], 0, -1)
local named = #holders > 0 and table.concat(holders, ',') or '-'`;

/**
 * Every write ends here: drop the page, move the generation on, tell every worker to drop its L1.
 * The message carries the new generation, names the round (`<worker>:<n>`) and the holders: only
 * they send a receipt, to the worker the round names. Returns the generation and how many holders
 * the writer waits for.
 */
const INVALIDATE = `${LIVE_HOLDERS}
local generation = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], generation .. ' ' .. ARGV[2] .. ' ' .. named)
return {generation, #holders}`;

/**
 * A write's round that also brings the page up to date: it stores the page the writer read from
 * the store after its write, and sends it with the message, so every worker puts it straight into
 * its L1 instead of fetching it again. Only if no other round moved the generation on since that
 * read; otherwise it just drops the page, like INVALIDATE.
 */
const REFRESH = `${LIVE_HOLDERS}
local current = redis.call('GET', KEYS[2]) or '0'
local generation = redis.call('INCR', KEYS[2])
local message = generation .. ' ' .. ARGV[2] .. ' ' .. named
if current == ARGV[3] then
  redis.call('HSET', KEYS[1], 'body', ARGV[4], 'fresh_until', ARGV[5], 'delta', ARGV[6])
  redis.call('PEXPIRE', KEYS[1], ARGV[7])
  message = message .. ' ' .. ARGV[5] .. ' ' .. ARGV[6] .. ' ' .. ARGV[4]
else
  redis.call('DEL', KEYS[1])
end
redis.call('PUBLISH', ARGV[1], message)
return {generation, #holders}`;

/**
 * Stores a rebuilt page only if no write happened since the rebuild began (the generation it read
 * before querying the store is still current). Without this check a slow rebuild that read the
 * store before a write could put the old page back after that write's invalidation.
 */
const STORE_IF_CURRENT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'body', ARGV[2], 'fresh_until', ARGV[3], 'delta', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

/** A store failure must reach the client as an error; a Redis failure only means "bypass". */
class StoreFailed extends Error {
  constructor(override readonly cause: unknown) {
    super("the store failed");
  }
}

/**
 * The first page of GET /todo, cached in two levels: L1 in this worker's memory (the cheapest hit)
 * in front of L2 in Redis (shared by all workers). Cache-aside: a reader that finds nothing builds
 * the page from the store and stores it; every write invalidates it.
 */
export function createFirstPageCache(options: FirstPageCacheOptions) {
  const {
    redisUrl,
    load,
    namespace = "zto:first-page",
    freshMs = 10_000,
    staleMs = 10_000,
    protection = "on",
    l1MaxAgeMs = 1_000,
    lockMs = 3_000,
    commandTimeoutMs = 500,
    ackTimeoutMs = 100,
    onWrite = "refresh",
    beta = 1,
    random = Math.random,
    now = Date.now,
    log = (line: string) => console.error(line),
  } = options;
  /** How long a built page stays in Redis: with protection, a stale copy outlives its freshness. */
  const keptMs = protection === "on" ? freshMs + staleMs : freshMs;
  /** Waiting is measured on the monotonic clock, whatever `now` says about page freshness. */
  const elapsed = () => performance.now();
  /** This worker's name in invalidation rounds: the other workers send their receipts to it. */
  const me = randomUUID();
  const keys = {
    page: `${namespace}:page`,
    generation: `${namespace}:generation`,
    lock: `${namespace}:rebuild-lock`,
    channel: `${namespace}:invalidated`,
    holders: `${namespace}:holders`,
    receipts: (worker: string) => `${namespace}:receipts:${worker}`,
  };
  const redis = createRedisClient(redisUrl);
  const bounded = createDeadline(commandTimeoutMs);
  const subscriber = redis.duplicate(); // a subscribed connection can do nothing else
  const lock = createRedisLock(redis, keys.lock, lockMs);
  /** What this worker's cache did: for tests, and shown in /healthz. */
  const stats = {
    l1Hits: 0,
    l2Hits: 0,
    misses: 0,
    stale: 0,
    bypasses: 0,
    storeReads: 0,
    refreshes: 0,
    /** writes answered before every holder confirmed (a worker stuck, or cut off from Redis) */
    unconfirmedInvalidations: 0,
  };

  let l1: (Entry & { until: number }) | undefined;
  /** Until when (monotonic clock) this worker is surely registered as a holder: L1 is used only before it. */
  let heldUntil = 0;
  /** Moves on with every invalidation this worker hears of; work begun in an older epoch is not trusted. */
  let epoch = 0;
  /** True once the cache was flushed after the last (re)connection: pages from before may be stale. */
  let clean = false;
  let subscribed = false;
  let closed = false;
  let reportedDown = false;
  let flushRetry: NodeJS.Timeout | undefined;
  let building: { epoch: number; generation: string; served: Promise<Served> } | undefined;
  let refreshing = false;
  /** The L2 read that readers who miss L1 share. */
  let reading: { epoch: number; read: ReturnType<typeof holdAndReadL2> } | undefined;
  /** Invalidation rounds: the one running, and the next one, which every write that comes meanwhile joins. */
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  let rounds = 0;
  /** The newest generation this worker knows of, from its own rounds' answers and the messages it hears. */
  let generationSeen = 0;
  const saw = ([generation, receivers]: [number, number]) => {
    generationSeen = Math.max(generationSeen, generation);
    return receivers;
  };
  /** Receipts counted per round this worker started, until it has every holder's or gives up. */
  const receipts = new Map<string, { count: number; expected: number; heard?: () => void }>();

  const forgetL1 = () => {
    l1 = undefined;
    epoch++;
  };
  const redisUsable = () => clean && redis.isReady;
  // L1 is safe only while we can hear invalidations: a lost message would leave it stale.
  const l1Usable = () => redisUsable() && subscribed && subscriber.isReady;

  const wentDown = (error?: Error) => {
    clean = false;
    forgetL1();
    if (!reportedDown && !closed) {
      reportedDown = true;
      log(
        `cache: Redis unreachable (${error?.message || "connection lost"}); serving from the store ` +
          `(X-Cache: bypass) until it answers`,
      );
    }
  };

  /**
   * Drops the page everywhere. `round` names this invalidation when the caller will wait for the
   * receipts; after a (re)connection, when we cannot know which writes we missed, nobody waits
   * ("-"). Also retried until it succeeds when a write's invalidation failed.
   */
  async function flush(round = "-"): Promise<number | undefined> {
    clearTimeout(flushRetry);
    try {
      const reply = await bounded(
        redis.eval(INVALIDATE, {
          keys: [keys.page, keys.generation, keys.holders],
          arguments: [keys.channel, round],
        }),
      );
      if (reportedDown) log("cache: Redis answers again; cache flushed and back in use");
      reportedDown = false;
      clean = true;
      return saw(reply as [number, number]);
    } catch (error) {
      wentDown(error as Error);
      if (!closed) flushRetry = setTimeout(() => void flush(), 500).unref();
      return undefined;
    }
  }

  /** The page as the store has it now, stored with the round's message; falls back to a plain flush. */
  async function refresh(round: string): Promise<number | undefined> {
    // if another round has run since the newest generation we know of, its message may not have
    // reached us yet: the script then only drops the page, which is always safe
    const generation = String(generationSeen);
    let body: string;
    let started: number;
    try {
      started = now();
      body = await loadFromStore();
    } catch {
      return flush(round);
    }
    const finished = now();
    try {
      const reply = await bounded(
        redis.eval(REFRESH, {
          keys: [keys.page, keys.generation, keys.holders],
          arguments: [
            keys.channel,
            round,
            generation,
            body,
            String(finished + freshMs),
            String(finished - started),
            String(keptMs),
          ],
        }),
      );
      return saw(reply as [number, number]);
    } catch {
      return flush(round);
    }
  }

  /**
   * On an invalidation message (`<generation> <round> <holders>`, and after a refresh `<fresh
   * until> <delta> <page>`): drop L1 at once, keep the new page if it came along and this worker
   * is still a holder, then, if the round named it among the holders, send the writer its receipt.
   */
  const onInvalidated = (message: string) => {
    forgetL1();
    const [generation = "", round = "", holders = "", freshUntil, deltaMs] = message.split(" ", 5);
    generationSeen = Math.max(generationSeen, Number(generation));
    if (freshUntil !== undefined && l1Usable() && elapsed() < heldUntil) {
      const at = now();
      const body = message.slice(`${generation} ${round} ${holders} ${freshUntil} ${deltaMs} `.length);
      const entry = { body, freshUntil: Number(freshUntil), deltaMs: Number(deltaMs) };
      if (at < entry.freshUntil) l1 = { ...entry, until: Math.min(entry.freshUntil, at + l1MaxAgeMs) };
    }
    const writer = round.slice(0, round.lastIndexOf(":"));
    if (!writer || !holders.split(",").includes(me)) return;
    // our own round needs no trip through Redis to count our receipt
    if (writer === me) onReceipt(round);
    else redis.publish(keys.receipts(writer), round).catch(() => {});
  };

  const onReceipt = (round: string) => {
    const waiting = receipts.get(round);
    if (!waiting) return; // a round we gave up on
    waiting.count++;
    if (waiting.count >= waiting.expected) waiting.heard?.();
  };

  /**
   * One invalidation, and the wait until every holder (a worker that read the page within
   * `l1MaxAgeMs`, this one included) has confirmed it dropped its L1. Redis hands the message out
   * in the same instant it answers the writer, but it may reach a busy worker later than the
   * writer's client sends its next request; the receipts close that gap. They come back over
   * pub/sub, so the writer waits without polling. A worker that holds no copy has nothing stale to
   * serve, so nobody waits for it: with writes only, a round waits for no one.
   */
  async function invalidateAndWait() {
    const round = `${me}:${++rounds}`;
    // counted from before the message goes out: a receipt can overtake Redis' answer to us
    const waiting: { count: number; expected: number; heard?: () => void } = {
      count: 0,
      expected: Infinity,
    };
    receipts.set(round, waiting);
    try {
      const holders = onWrite === "refresh" && redisUsable() ? await refresh(round) : await flush(round);
      if (holders === undefined) return;
      waiting.expected = holders;
      if (waiting.count >= holders) return;
      const heard = new Promise<boolean>((resolve) => (waiting.heard = () => resolve(true)));
      const timer = sleep(ackTimeoutMs, false, { ref: false });
      if (!(await Promise.race([heard, timer]))) {
        stats.unconfirmedInvalidations++; // a worker that cannot hear us serves its L1 for at most l1MaxAgeMs
      }
    } finally {
      receipts.delete(round);
    }
  }

  redis.on("error", wentDown);
  redis.on("reconnecting", () => wentDown());
  redis.on("ready", () => void flush());
  subscriber.on("error", forgetL1);
  subscriber.on("reconnecting", forgetL1);
  subscriber.on("ready", forgetL1);
  // connect() keeps retrying until Redis answers; until then every request is a bypass
  redis.connect().catch(() => {});
  subscriber
    .connect()
    .then(() => subscriber.subscribe(keys.channel, onInvalidated))
    .then(() => subscriber.subscribe(keys.receipts(me), onReceipt))
    .then(
      () => (subscribed = true),
      () => {},
    );

  async function readL2(): Promise<Entry | undefined> {
    const hash = await bounded(redis.hGetAll(keys.page));
    if (hash["body"] === undefined) return undefined;
    return { body: hash["body"], freshUntil: Number(hash["fresh_until"]), deltaMs: Number(hash["delta"]) };
  }

  /**
   * A reader's L2 read, which registers this worker as a holder first. Registered from when the
   * command is sent: Redis runs it later, so its clock's expiry is never earlier than ours.
   */
  async function holdAndReadL2(): Promise<{ generation: string; entry: Entry | undefined }> {
    const sent = elapsed();
    const reply = await bounded(
      redis.eval(HOLD_AND_READ, {
        keys: [keys.page, keys.generation, keys.holders],
        arguments: [me, String(l1MaxAgeMs)],
      }),
    );
    heldUntil = Math.max(heldUntil, sent + l1MaxAgeMs);
    const [generation, [body, freshUntil, deltaMs]] = reply as [string, (string | null)[]];
    if (body === null || body === undefined) return { generation, entry: undefined };
    return { generation, entry: { body, freshUntil: Number(freshUntil), deltaMs: Number(deltaMs) } };
  }

  /** Concurrent readers that miss L1 in one worker share one L2 read, unless an invalidation came in between. */
  function readL2Once(): ReturnType<typeof holdAndReadL2> {
    if (reading?.epoch === epoch) return reading.read;
    const read = holdAndReadL2().finally(() => {
      if (reading?.read === read) reading = undefined;
    });
    reading = { epoch, read };
    return read;
  }

  async function loadFromStore(): Promise<string> {
    stats.storeReads++;
    try {
      return await load();
    } catch (error) {
      throw new StoreFailed(error);
    }
  }

  /** Reads the store and stores the page, unless a write came since (then the next reader rebuilds). */
  async function buildAndStore(): Promise<string> {
    const generation = (await bounded(redis.get(keys.generation))) ?? "0";
    const started = now();
    const body = await loadFromStore();
    const finished = now();
    const args = [generation, body, String(finished + freshMs), String(finished - started), String(keptMs)];
    // if storing fails the page is still right for this request; the next reader rebuilds
    await bounded(
      redis.eval(STORE_IF_CURRENT, { keys: [keys.page, keys.generation], arguments: args }),
    ).catch(() => {});
    return body;
  }

  /**
   * Builds the page if we get the rebuild lock, or returns undefined when another worker holds it.
   * `newerThan` is the freshUntil of the copy we saw: a copy newer than that, found once we hold
   * the lock, means someone rebuilt it in the meantime and we use theirs.
   */
  async function rebuildIfLockFree(
    newerThan: number,
  ): Promise<{ body: string; fromStore: boolean } | undefined> {
    const token = await bounded(lock.acquire());
    if (!token) return undefined;
    try {
      const current = await readL2();
      if (current && current.freshUntil > newerThan) return { body: current.body, fromStore: false };
      return { body: await buildAndStore(), fromStore: true };
    } finally {
      // if this fails the lock expires by itself after lockMs
      await bounded(lock.release(token)).catch(() => {});
    }
  }

  /** The miss path: one rebuild across all workers, the others wait for its result in Redis. */
  async function rebuildOrWait(): Promise<Served> {
    const giveUpAt = elapsed() + lockMs;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const built = await rebuildIfLockFree(-Infinity);
      if (built) return { body: built.body, cache: built.fromStore ? "miss" : "hit" };
      await sleep(pause);
      const entry = await readL2();
      if (entry) return { body: entry.body, cache: "hit" };
      if (elapsed() > giveUpAt) break;
    }
    // the lock holder is slow or gone: answer from the store rather than keep the client waiting
    return { body: await loadFromStore(), cache: "miss" };
  }

  /**
   * Within one worker, concurrent misses share one rebuild, unless a write came in between: the
   * rebuild must have begun at the generation this reader saw, since a writer waits only for
   * holders and may not have waited for this worker.
   */
  function rebuildOnce(generation: string): Promise<Served> {
    if (building?.epoch === epoch && building.generation === generation) {
      return building.served.then(({ body }) => ({ body, cache: "hit" }) as Served);
    }
    const served = rebuildOrWait().finally(() => {
      if (building?.served === served) building = undefined;
    });
    building = { epoch, generation, served };
    return served;
  }

  /** Stale-while-revalidate and XFetch: readers keep their copy while one rebuild runs. */
  function refreshInBackground(seen: Entry) {
    if (refreshing) return;
    refreshing = true;
    rebuildIfLockFree(seen.freshUntil)
      .then((built) => {
        if (built?.fromStore) stats.refreshes++;
      })
      .catch((error: unknown) => {
        if (error instanceof StoreFailed) log(`cache: background rebuild failed: ${String(error.cause)}`);
      })
      .finally(() => (refreshing = false));
  }

  const refreshEarlyMaybe = (entry: Entry, at: number) => {
    if (shouldRefreshEarly({ now: at, freshUntil: entry.freshUntil, deltaMs: entry.deltaMs }, beta, random)) {
      refreshInBackground(entry);
    }
  };

  /** Without protection: this reader rebuilds, however many others are doing the same right now. */
  const rebuildAlone = async (): Promise<Served> => ({ body: await buildAndStore(), cache: "miss" });

  /** With protection, an expired copy is served while one rebuild runs in the background. */
  const serveStale = async (entry: Entry): Promise<Served> => {
    refreshInBackground(entry);
    return { body: entry.body, cache: "stale" };
  };

  /**
   * What a reader does when the page is missing, expired, or fresh: the one switch between the
   * protected cache and the naive one (CACHE_PROTECTION).
   */
  const onPage =
    protection === "on"
      ? { missing: rebuildOnce, expired: serveStale, fresh: refreshEarlyMaybe }
      : { missing: rebuildAlone, expired: rebuildAlone, fresh: () => {} };

  const counted = (served: Served) => {
    if (served.cache === "miss") stats.misses++;
    else if (served.cache === "stale") stats.stale++;
    else stats.l2Hits++;
    return served;
  };

  async function bypass(): Promise<Served> {
    stats.bypasses++;
    return { body: await loadFromStore(), cache: "bypass" };
  }

  return {
    stats,

    /** The first page's bytes and how they were obtained. */
    async read(): Promise<Served> {
      if (!redisUsable()) return bypass();
      const at = now();
      if (l1 && at < l1.until && elapsed() < heldUntil && l1Usable()) {
        stats.l1Hits++;
        onPage.fresh(l1, at);
        return { body: l1.body, cache: "hit" };
      }
      const epochBefore = epoch;
      try {
        const { generation, entry } = await readL2Once();
        if (!entry) return counted(await onPage.missing(generation));
        const at = now();
        if (at < entry.freshUntil) {
          // an invalidation heard while Redis answered means this copy may already be old
          if (epochBefore === epoch && l1Usable())
            l1 = { ...entry, until: Math.min(entry.freshUntil, at + l1MaxAgeMs) };
          stats.l2Hits++;
          onPage.fresh(entry, at);
          return { body: entry.body, cache: "hit" };
        }
        return counted(await onPage.expired(entry));
      } catch (error) {
        if (error instanceof StoreFailed) throw error.cause;
        return bypass();
      }
    },

    /**
     * Call after every write, before answering it, so the writer never reads its own write back
     * stale. Writes that come while a round runs share the next one: a round covers every write
     * that finished before it began, so concurrent writes cost one round, not one each. L1 stays
     * until the round's message drops it, here as in every other worker: the write is answered only
     * after every holder's receipt, this worker's too if it holds a copy, and dropping it sooner
     * would only send racing reads to Redis.
     */
    invalidate(): Promise<void> {
      queued ??= (running ?? Promise.resolve()).then(() => {
        queued = undefined;
        running = invalidateAndWait().finally(() => (running = undefined));
        return running;
      });
      return queued;
    },

    /** "up" while pages come from the cache, "down" while they bypass it. */
    redisState: (): "up" | "down" => (redisUsable() ? "up" : "down"),

    /** Resolves true once Redis answers and invalidations are heard, false after `timeoutMs`. */
    async whenUp(timeoutMs: number): Promise<boolean> {
      const deadline = elapsed() + timeoutMs;
      while (!l1Usable()) {
        if (elapsed() > deadline) return false;
        await sleep(10);
      }
      return true;
    },

    async close(): Promise<void> {
      closed = true;
      clearTimeout(flushRetry);
      await Promise.all([subscriber, redis].map((client) => closeRedisClient(client, commandTimeoutMs)));
    },
  };
}

export type FirstPageCache = ReturnType<typeof createFirstPageCache>;
