import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";
import type { SentinelTarget } from "./redis-sentinel.js";
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
  /** Through the Sentinels instead, when set (redis-sentinel.ts). */
  sentinel?: SentinelTarget;
  /** Reads one user's first page from the store and serializes it: the exact bytes every hit for that user will send. */
  load: (owner: string) => Promise<string>;
  /**
   * Prefix of the Redis keys and channel; workers that share it share the cache. Each user's page
   * has keys of its own, `<namespace>:<owner>:…`; one channel carries every user's invalidations.
   */
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
  /** How many users' pages one worker keeps track of (L1, rebuilds, rounds); the least recently used go first. */
  maxOwners?: number;
}

interface Entry {
  body: string;
  /** epoch ms after which the page is stale */
  freshUntil: number;
  /** how long the store read took when this page was built (XFetch's delta) */
  deltaMs: number;
}

/**
 * A read that may keep a user's page in its worker's memory registers the worker as a holder of
 * that page until Redis' clock plus `l1MaxAgeMs` (ARGV[2]), in the same step as it reads the page
 * and its generation: a write's round sees every worker that can serve a copy older than the write.
 */
const HOLD_AND_READ = `
local clock = redis.call('TIME')
redis.call('ZADD', KEYS[3], clock[1] * 1000 + math.floor(clock[2] / 1000) + ARGV[2], ARGV[1])
if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[3], ARGV[2]) end
return {redis.call('GET', KEYS[2]) or '0', redis.call('HMGET', KEYS[1], 'body', 'fresh_until', 'delta')}`;

/** The holders of the page whose registration has not run out on Redis' clock, joined by commas ("-": none). */
const LIVE_HOLDERS = `
local clock = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', clock[1] * 1000 + math.floor(clock[2] / 1000))
local holders = redis.call('ZRANGE', KEYS[3], 0, -1)
local named = #holders > 0 and table.concat(holders, ',') or '-'`;

/**
 * Every write ends here: drop the user's page, move the user's generation on, tell every worker to
 * drop its L1 of that page. The message names the user, carries the new generation, names the
 * round (`<worker>:<n>`) and the page's holders: only they send a receipt, to the worker the round
 * names. Returns the generation and how many holders the writer waits for.
 */
const INVALIDATE = `${LIVE_HOLDERS}
local generation = redis.call('INCR', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[3] .. ' ' .. generation .. ' ' .. ARGV[2] .. ' ' .. named)
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
local message = ARGV[8] .. ' ' .. generation .. ' ' .. ARGV[2] .. ' ' .. named
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

/** One user's first page as this worker tracks it. */
interface Page {
  owner: string;
  keys: { page: string; generation: string; holders: string };
  lock: ReturnType<typeof createRedisLock>;
  l1?: Entry & { until: number };
  /** Until when (monotonic clock) this worker is surely registered as a holder of the page: L1 is used only before it. */
  heldUntil: number;
  /** Moves on with every invalidation of this page this worker hears of; work begun in an older epoch is not trusted. */
  epoch: number;
  /** The newest generation this worker knows of, from its own rounds' answers and the messages it hears. */
  generationSeen: number;
  building?: { epoch: number; generation: string; served: Promise<Served> };
  /** The L2 read that readers who miss L1 share. */
  reading?: { epoch: number; read: Promise<{ generation: string; entry: Entry | undefined }> };
  refreshing: boolean;
  /** Invalidation rounds: the one running, and the next one, which every write that comes meanwhile joins. */
  running?: Promise<void>;
  queued?: Promise<void>;
}

/**
 * Each user's first page of GET /todo, cached in two levels: L1 in this worker's memory (the
 * cheapest hit) in front of L2 in Redis (shared by all workers). Cache-aside: a reader that finds
 * nothing builds the page from the store and stores it; every write invalidates it. Every user has
 * a page, keys and a generation of their own, so one user's write drops only that user's page, and
 * no user is ever served another's.
 */
export function createFirstPageCache(options: FirstPageCacheOptions) {
  const {
    redisUrl,
    sentinel,
    load,
    // not stage 07's keys and channel: its workers, sharing a Redis with these, must not hear our rounds
    namespace = "zto:first-page:per-user",
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
    maxOwners = 10_000,
  } = options;
  /** How long a built page stays in Redis: with protection, a stale copy outlives its freshness. */
  const keptMs = protection === "on" ? freshMs + staleMs : freshMs;
  /** Waiting is measured on the monotonic clock, whatever `now` says about page freshness. */
  const elapsed = () => performance.now();
  /** This worker's name in invalidation rounds: the other workers send their receipts to it. */
  const me = randomUUID();
  const keys = {
    channel: `${namespace}:invalidated`,
    receipts: (worker: string) => `${namespace}:receipts:${worker}`,
  };
  const redis = createRedisClient(redisUrl, sentinel);
  const bounded = createDeadline(commandTimeoutMs);
  const subscriber = redis.duplicate(); // a subscribed connection can do nothing else
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

  /** The pages this worker tracks, least recently used first. */
  const pages = new Map<string, Page>();
  /** The users whose invalidation failed while Redis was away: flushed as soon as it answers again. */
  const missed = new Set<string>();
  /** True once every missed invalidation is flushed after the last (re)connection: pages from before may be stale. */
  let clean = false;
  let subscribed = false;
  let closed = false;
  let reportedDown = false;
  let recoveryRetry: NodeJS.Timeout | undefined;
  let rounds = 0;
  const saw = (page: Page, [generation, receivers]: [number, number]) => {
    page.generationSeen = Math.max(page.generationSeen, generation);
    return receivers;
  };
  /** Receipts counted per round this worker started, until it has them all or gives up. */
  const receipts = new Map<string, { count: number; expected: number; heard?: () => void }>();

  const idle = (page: Page) =>
    !page.building && !page.reading && !page.refreshing && !page.running && !page.queued;
  /** The user's page state, made on first use; past maxOwners the least recently used idle one is dropped. */
  const pageOf = (owner: string): Page => {
    let page = pages.get(owner);
    if (page) {
      pages.delete(owner); // to the end: most recently used
    } else {
      const prefix = `${namespace}:${owner}`;
      page = {
        owner,
        keys: { page: `${prefix}:page`, generation: `${prefix}:generation`, holders: `${prefix}:holders` },
        lock: createRedisLock(redis, `${prefix}:rebuild-lock`, lockMs),
        heldUntil: 0,
        epoch: 0,
        generationSeen: 0,
        refreshing: false,
      };
      if (pages.size >= maxOwners) {
        for (const [oldest, tracked] of pages) {
          if (!idle(tracked)) continue;
          pages.delete(oldest);
          break;
        }
      }
    }
    pages.set(owner, page);
    return page;
  };

  const forgetL1 = (page: Page) => {
    page.l1 = undefined;
    page.epoch++;
  };
  const forgetEveryL1 = () => {
    for (const page of pages.values()) forgetL1(page);
  };
  const redisUsable = () => clean && redis.isReady;
  // L1 is safe only while we can hear invalidations: a lost message would leave it stale.
  const l1Usable = () => redisUsable() && subscribed && subscriber.isReady;

  const wentDown = (error?: Error) => {
    clean = false;
    forgetEveryL1();
    if (!reportedDown && !closed) {
      reportedDown = true;
      log(
        `cache: Redis unreachable (${error?.message || "connection lost"}); serving from the store ` +
          `(X-Cache: bypass) until it answers`,
      );
    }
  };

  /**
   * Drops one user's page everywhere. `round` names this invalidation when the caller will wait for
   * the receipts; when the writes were missed while Redis was away, nobody waits ("-"). A failed
   * invalidation is remembered, and flushed as soon as Redis answers again.
   */
  async function flush(page: Page, round = "-"): Promise<number | undefined> {
    try {
      const reply = await bounded(
        redis.eval(INVALIDATE, {
          keys: [page.keys.page, page.keys.generation, page.keys.holders],
          arguments: [keys.channel, round, page.owner],
        }),
      );
      missed.delete(page.owner);
      return saw(page, reply as [number, number]);
    } catch (error) {
      missed.add(page.owner);
      wentDown(error as Error);
      scheduleRecovery();
      return undefined;
    }
  }

  /**
   * After a (re)connection: flush the pages of every write whose invalidation failed meanwhile, then
   * use the cache again. Until then every read bypasses it. Retried until Redis answers.
   */
  async function recover(): Promise<void> {
    clearTimeout(recoveryRetry);
    try {
      for (const owner of [...missed]) {
        await bounded(
          redis.eval(INVALIDATE, {
            keys: ["page", "generation", "holders"].map((key) => `${namespace}:${owner}:${key}`),
            arguments: [keys.channel, "-", owner],
          }),
        );
        missed.delete(owner);
      }
      await bounded(redis.ping()); // it answers us, not only accepts the connection (a password)
      if (reportedDown) log("cache: Redis answers again; missed writes flushed, cache back in use");
      reportedDown = false;
      clean = true;
    } catch (error) {
      wentDown(error as Error);
      scheduleRecovery();
    }
  }
  const scheduleRecovery = () => {
    clearTimeout(recoveryRetry);
    if (!closed) recoveryRetry = setTimeout(() => void recover(), 500).unref();
  };

  /** The page as the store has it now, stored with the round's message; falls back to a plain flush. */
  async function refresh(page: Page, round: string): Promise<number | undefined> {
    // if another round has run since the newest generation we know of, its message may not have
    // reached us yet: the script then only drops the page, which is always safe. A page this worker
    // has seen no round of yet asks Redis, as a rebuild does, before it reads the store.
    let generation = String(page.generationSeen);
    let body: string;
    let started: number;
    try {
      if (page.generationSeen === 0) generation = (await bounded(redis.get(page.keys.generation))) ?? "0";
      started = now();
      body = await loadFromStore(page);
    } catch {
      return flush(page, round);
    }
    const finished = now();
    try {
      const reply = await bounded(
        redis.eval(REFRESH, {
          keys: [page.keys.page, page.keys.generation, page.keys.holders],
          arguments: [
            keys.channel,
            round,
            generation,
            body,
            String(finished + freshMs),
            String(finished - started),
            String(keptMs),
            page.owner,
          ],
        }),
      );
      return saw(page, reply as [number, number]);
    } catch {
      return flush(page, round);
    }
  }

  /**
   * On an invalidation message (`<owner> <generation> <round> <holders>`, and after a refresh
   * `<fresh until> <delta> <page>`): drop that user's L1 at once, keep the new page if it came
   * along and this worker still holds it, then, if the round named it among the holders, send the
   * writer its receipt. A user this worker has no page for has nothing to drop.
   */
  const onInvalidated = (message: string) => {
    const [owner = "", generation = "", round = "", holders = "", freshUntil, deltaMs] = message.split(
      " ",
      6,
    );
    const page = pages.get(owner);
    if (page) {
      forgetL1(page);
      page.generationSeen = Math.max(page.generationSeen, Number(generation));
      if (freshUntil !== undefined && l1Usable() && elapsed() < page.heldUntil) {
        const at = now();
        const body = message.slice(
          `${owner} ${generation} ${round} ${holders} ${freshUntil} ${deltaMs} `.length,
        );
        const entry = { body, freshUntil: Number(freshUntil), deltaMs: Number(deltaMs) };
        if (at < entry.freshUntil) page.l1 = { ...entry, until: Math.min(entry.freshUntil, at + l1MaxAgeMs) };
      }
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
   * One invalidation, and the wait until every holder of the page (a worker that read it within
   * `l1MaxAgeMs`, this one included) has confirmed it dropped its L1. Redis hands the message out
   * in the same instant it answers the writer, but it may reach a busy worker later than the
   * writer's client sends its next request; the receipts close that gap. They come back over
   * pub/sub, so the writer waits without polling. A worker that holds no copy has nothing stale to
   * serve, so nobody waits for it: with writes only, a round waits for no one.
   */
  async function invalidateAndWait(page: Page) {
    const round = `${me}:${++rounds}`;
    // counted from before the message goes out: a receipt can overtake Redis' answer to us
    const waiting: { count: number; expected: number; heard?: () => void } = {
      count: 0,
      expected: Infinity,
    };
    receipts.set(round, waiting);
    try {
      const holders =
        onWrite === "refresh" && redisUsable() ? await refresh(page, round) : await flush(page, round);
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

  redis.on("error", (error: unknown) => {
    wentDown(error instanceof Error ? error : new Error(String(error)));
    // Through Sentinel, errors also come from the connections around the primary (a Sentinel that
    // went away, a replica), while the client stays ready and will not say "ready" again: ask
    // Redis ourselves until it answers, as after a failed command.
    scheduleRecovery();
  });
  redis.on("reconnecting", () => wentDown());
  redis.on("ready", () => void recover());
  subscriber.on("error", forgetEveryL1);
  subscriber.on("reconnecting", forgetEveryL1);
  subscriber.on("ready", forgetEveryL1);
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

  async function readL2(page: Page): Promise<Entry | undefined> {
    const hash = await bounded(redis.hGetAll(page.keys.page));
    if (hash["body"] === undefined) return undefined;
    return { body: hash["body"], freshUntil: Number(hash["fresh_until"]), deltaMs: Number(hash["delta"]) };
  }

  /**
   * A reader's L2 read, which registers this worker as a holder of the page first. Registered from
   * when the command is sent: Redis runs it later, so its clock's expiry is never earlier than ours.
   */
  async function holdAndReadL2(page: Page): Promise<{ generation: string; entry: Entry | undefined }> {
    const sent = elapsed();
    const reply = await bounded(
      redis.eval(HOLD_AND_READ, {
        keys: [page.keys.page, page.keys.generation, page.keys.holders],
        arguments: [me, String(l1MaxAgeMs)],
      }),
    );
    page.heldUntil = Math.max(page.heldUntil, sent + l1MaxAgeMs);
    const [generation, [body, freshUntil, deltaMs]] = reply as [string, (string | null)[]];
    if (body === null || body === undefined) return { generation, entry: undefined };
    return { generation, entry: { body, freshUntil: Number(freshUntil), deltaMs: Number(deltaMs) } };
  }

  /** Concurrent readers that miss L1 in one worker share one L2 read, unless an invalidation came in between. */
  function readL2Once(page: Page): Promise<{ generation: string; entry: Entry | undefined }> {
    if (page.reading?.epoch === page.epoch) return page.reading.read;
    const read = holdAndReadL2(page).finally(() => {
      if (page.reading?.read === read) page.reading = undefined;
    });
    page.reading = { epoch: page.epoch, read };
    return read;
  }

  async function loadFromStore(page: Page): Promise<string> {
    stats.storeReads++;
    try {
      return await load(page.owner);
    } catch (error) {
      throw new StoreFailed(error);
    }
  }

  /** Reads the store and stores the page, unless a write came since (then the next reader rebuilds). */
  async function buildAndStore(page: Page): Promise<string> {
    const generation = (await bounded(redis.get(page.keys.generation))) ?? "0";
    const started = now();
    const body = await loadFromStore(page);
    const finished = now();
    const args = [generation, body, String(finished + freshMs), String(finished - started), String(keptMs)];
    // if storing fails the page is still right for this request; the next reader rebuilds
    await bounded(
      redis.eval(STORE_IF_CURRENT, { keys: [page.keys.page, page.keys.generation], arguments: args }),
    ).catch(() => {});
    return body;
  }

  /**
   * Builds the page if we get the rebuild lock, or returns undefined when another worker holds it.
   * `newerThan` is the freshUntil of the copy we saw: a copy newer than that, found once we hold
   * the lock, means someone rebuilt it in the meantime and we use theirs.
   */
  async function rebuildIfLockFree(
    page: Page,
    newerThan: number,
  ): Promise<{ body: string; fromStore: boolean } | undefined> {
    const token = await bounded(page.lock.acquire());
    if (!token) return undefined;
    try {
      const current = await readL2(page);
      if (current && current.freshUntil > newerThan) return { body: current.body, fromStore: false };
      return { body: await buildAndStore(page), fromStore: true };
    } finally {
      // if this fails the lock expires by itself after lockMs
      await bounded(page.lock.release(token)).catch(() => {});
    }
  }

  /** The miss path: one rebuild across all workers, the others wait for its result in Redis. */
  async function rebuildOrWait(page: Page): Promise<Served> {
    const giveUpAt = elapsed() + lockMs;
    for (let pause = 2; ; pause = Math.min(pause * 2, 50)) {
      const built = await rebuildIfLockFree(page, -Infinity);
      if (built) return { body: built.body, cache: built.fromStore ? "miss" : "hit" };
      await sleep(pause);
      const entry = await readL2(page);
      if (entry) return { body: entry.body, cache: "hit" };
      if (elapsed() > giveUpAt) break;
    }
    // the lock holder is slow or gone: answer from the store rather than keep the client waiting
    return { body: await loadFromStore(page), cache: "miss" };
  }

  /**
   * Within one worker, concurrent misses of a page share one rebuild, unless a write came in
   * between: the rebuild must have begun at the generation this reader saw, since a writer waits
   * only for holders and may not have waited for this worker.
   */
  function rebuildOnce(page: Page, generation: string): Promise<Served> {
    if (page.building?.epoch === page.epoch && page.building.generation === generation) {
      return page.building.served.then(({ body }) => ({ body, cache: "hit" }) as Served);
    }
    const served = rebuildOrWait(page).finally(() => {
      if (page.building?.served === served) page.building = undefined;
    });
    page.building = { epoch: page.epoch, generation, served };
    return served;
  }

  /** Stale-while-revalidate and XFetch: readers keep their copy while one rebuild runs. */
  function refreshInBackground(page: Page, seen: Entry) {
    if (page.refreshing) return;
    page.refreshing = true;
    rebuildIfLockFree(page, seen.freshUntil)
      .then((built) => {
        if (built?.fromStore) stats.refreshes++;
      })
      .catch((error: unknown) => {
        if (error instanceof StoreFailed) log(`cache: background rebuild failed: ${String(error.cause)}`);
      })
      .finally(() => (page.refreshing = false));
  }

  const refreshEarlyMaybe = (page: Page, entry: Entry, at: number) => {
    if (shouldRefreshEarly({ now: at, freshUntil: entry.freshUntil, deltaMs: entry.deltaMs }, beta, random)) {
      refreshInBackground(page, entry);
    }
  };

  /** Without protection: this reader rebuilds, however many others are doing the same right now. */
  const rebuildAlone = async (page: Page): Promise<Served> => ({
    body: await buildAndStore(page),
    cache: "miss",
  });

  /** With protection, an expired copy is served while one rebuild runs in the background. */
  const serveStale = async (page: Page, entry: Entry): Promise<Served> => {
    refreshInBackground(page, entry);
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

  async function bypass(page: Page): Promise<Served> {
    stats.bypasses++;
    return { body: await loadFromStore(page), cache: "bypass" };
  }

  return {
    stats,

    /** The user's first page: its bytes and how they were obtained. */
    async read(owner: string): Promise<Served> {
      const page = pageOf(owner);
      if (!redisUsable()) return bypass(page);
      const at = now();
      const l1 = page.l1;
      if (l1 && at < l1.until && elapsed() < page.heldUntil && l1Usable()) {
        stats.l1Hits++;
        onPage.fresh(page, l1, at);
        return { body: l1.body, cache: "hit" };
      }
      const epochBefore = page.epoch;
      try {
        const { generation, entry } = await readL2Once(page);
        if (!entry) return counted(await onPage.missing(page, generation));
        const at = now();
        if (at < entry.freshUntil) {
          // an invalidation heard while Redis answered means this copy may already be old
          if (epochBefore === page.epoch && l1Usable())
            page.l1 = { ...entry, until: Math.min(entry.freshUntil, at + l1MaxAgeMs) };
          stats.l2Hits++;
          onPage.fresh(page, entry, at);
          return { body: entry.body, cache: "hit" };
        }
        return counted(await onPage.expired(page, entry));
      } catch (error) {
        if (error instanceof StoreFailed) throw error.cause;
        return bypass(page);
      }
    },

    /**
     * Call after every write of the user's todos, before answering it, so the writer never reads
     * its own write back stale. Writes that come while a round runs share the next one: a round
     * covers every write that finished before it began, so concurrent writes cost one round, not one each.
     * L1 stays until the round's message drops it, here as in every other worker: the write is answered
     * only after every holder's receipt, this worker's too if it holds the page, and dropping it sooner
     * would only send racing reads to Redis.
     */
    invalidate(owner: string): Promise<void> {
      const page = pageOf(owner);
      page.queued ??= (page.running ?? Promise.resolve()).then(() => {
        page.queued = undefined;
        page.running = invalidateAndWait(page).finally(() => (page.running = undefined));
        return page.running;
      });
      return page.queued;
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
      clearTimeout(recoveryRetry);
      await Promise.all([subscriber, redis].map((client) => closeRedisClient(client, commandTimeoutMs)));
    },
  };
}

export type FirstPageCache = ReturnType<typeof createFirstPageCache>;
