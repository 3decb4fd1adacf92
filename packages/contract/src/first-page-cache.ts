import { startTestRedis } from "@zero-to-one/test-kit";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { createClient } from "redis";
import { afterAll, afterEach, describe, expect, it } from "vitest";

type RedisClient = ReturnType<typeof createClient>;

/** What a write does to the page in Redis: drops it, or stores the new one (stage 06's CACHE_ON_WRITE). */
export type WriteMode = "invalidate" | "refresh";

/** After a write, how the next read gets the page: rebuilt from the store, or already in Redis. */
export const afterWrite = { invalidate: "miss", refresh: "hit" } as const;

/** A first page and how it was obtained (the `X-Cache` header). */
export interface Served {
  body: string;
  cache: "hit" | "miss" | "stale" | "bypass";
}

/** The settings of stage 06's createFirstPageCache that the suite sets. */
export interface FirstPageCacheSettings {
  redisUrl: string;
  load: () => Promise<string>;
  namespace?: string;
  freshMs?: number;
  staleMs?: number;
  l1MaxAgeMs?: number;
  ackTimeoutMs?: number;
  commandTimeoutMs?: number;
  onWrite?: WriteMode;
  /** CACHE_PROTECTION: "off" is the naive cache, every reader that misses reads the store. */
  protection?: "on" | "off";
  random?: () => number;
  now?: () => number;
  log?: (line: string) => void;
}

/** Stage 06's first-page cache, described by shape only, so this package depends on no stage. */
export interface FirstPageCacheLike {
  read(): Promise<Served>;
  invalidate(): Promise<void>;
  redisState(): "up" | "down";
  whenUp(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
  readonly stats: {
    l1Hits: number;
    l2Hits: number;
    misses: number;
    stale: number;
    storeReads: number;
    refreshes: number;
    unconfirmedInvalidations: number;
  };
}

export interface FirstPageCacheOptions {
  createFirstPageCache: (settings: FirstPageCacheSettings) => FirstPageCacheLike;
  /** The stage's fail-fast node-redis client. */
  createRedisClient: (url: string) => RedisClient;
  createRedisLock: (
    redis: RedisClient,
    key: string,
    ttlMs: number,
  ) => { acquire(): Promise<string | undefined>; release(token: string): Promise<void> };
  /**
   * Where the cache keeps the page of `namespace` in Redis: `<namespace>:page` (the default), or in a
   * cache with a page per user (stage 08+), that user's key.
   */
  pageKey?: (namespace: string) => string;
  /** Where the cache registers the workers that hold a copy of that page: `<namespace>:holders` by default. */
  holdersKey?: (namespace: string) => string;
  /** XFetch's rule (xfetch.ts). */
  shouldRefreshEarly: (
    entry: { now: number; freshUntil: number; deltaMs: number },
    beta?: number,
    random?: () => number,
  ) => boolean;
}

/**
 * What the cache reads on a miss: the page's current bytes, counting every read. A read can be held open
 * with `hold()` to stand for a slow query.
 */
function source(initial: string) {
  let held: { promise: Promise<void>; resolve: () => void } | undefined;
  const src = {
    page: initial,
    reads: 0,
    load: async () => {
      src.reads++;
      const page = src.page; // what the database holds when the query runs
      await held?.promise;
      return page;
    },
    hold: () => {
      let resolve = () => {};
      const promise = new Promise<void>((r) => (resolve = r));
      held = { promise, resolve };
    },
    /** Holds only the next read, until the function it returns is called. */
    holdOne: () => {
      src.hold();
      const one = held!;
      const load = src.load;
      src.load = async () => {
        src.load = load;
        held = undefined;
        src.reads++;
        const page = src.page;
        await one.promise;
        return page;
      };
      return one.resolve;
    },
    release: () => {
      held?.resolve();
      held = undefined;
    },
  };
  return src;
}

/** Waits until `check()` holds (a loaded machine can be slow to get there), failing after 5 s. */
async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`waited 5 s for ${what}`);
    await sleep(5);
  }
}

const outcomes = (served: Served[]) =>
  served.reduce<Record<string, number>>((n, s) => ({ ...n, [s.cache]: (n[s.cache] ?? 0) + 1 }), {});

/**
 * The first-page cache of stage 06 on its own, against a real Redis: XFetch, the rebuild lock,
 * L1 and L2, invalidation by pub/sub, stampedes, stale-while-revalidate and a Redis outage.
 * Await it at the top of a test file: it starts a throwaway Redis (or logs one `skipped:` line).
 */
export async function describeFirstPageCache(
  label: string,
  {
    createFirstPageCache,
    createRedisClient,
    createRedisLock,
    shouldRefreshEarly,
    pageKey = (namespace) => `${namespace}:page`,
    holdersKey = (namespace) => `${namespace}:holders`,
  }: FirstPageCacheOptions,
) {
  const started = await startTestRedis();
  if (started.skipped) console.log(`skipped: ${started.skipped}`);
  const redis = started.redis;
  afterAll(() => redis?.stop());

  describe(`${label}: XFetch's early-refresh rule`, () => {
    const entry = { freshUntil: 10_000, deltaMs: 100 };
    it("never volunteers far from expiry, and always once past it", () => {
      expect(shouldRefreshEarly({ ...entry, now: 5_000 }, 1, () => 1e-9)).toBe(false); // 100·20.7 ms < 5 s
      expect(shouldRefreshEarly({ ...entry, now: 10_000 }, 1, () => 0.999)).toBe(true);
    });
    it("volunteers near expiry when the die rolls low, more eagerly for slow rebuilds and higher beta", () => {
      const near = { ...entry, now: 9_800 }; // 200 ms before expiry
      expect(shouldRefreshEarly(near, 1, () => 0.5)).toBe(false); // 100·0.69 = 69 ms < 200
      expect(shouldRefreshEarly(near, 1, () => 0.1)).toBe(true); // 100·2.3 = 230 ms ≥ 200
      expect(shouldRefreshEarly({ ...near, deltaMs: 300 }, 1, () => 0.5)).toBe(true); // 300·0.69 ≥ 200
      expect(shouldRefreshEarly(near, 3, () => 0.5)).toBe(true); // 3·100·0.69 ≥ 200
    });
    it("refreshes about as often as the paper predicts: P = exp(-gap / (delta·beta))", () => {
      let seed = 42;
      const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647 || 1e-12;
      const trials = 20_000;
      let early = 0;
      for (let i = 0; i < trials; i++) if (shouldRefreshEarly({ ...entry, now: 9_900 }, 1, random)) early++;
      expect(early / trials).toBeCloseTo(Math.exp(-1), 1); // gap 100 ms = one delta
    });
  });

  describe.skipIf(!redis)(`${label}: the rebuild lock (real Redis)`, () => {
    it("lets one holder in at a time and frees itself after its TTL", async () => {
      const client = createRedisClient(redis!.url);
      await client.connect();
      const key = `lock-${randomUUID()}`;
      // a TTL no stall of a busy machine outlasts between the two acquires
      const lock = createRedisLock(client, key, 1_000);
      const first = await lock.acquire();
      expect(first).toBeDefined();
      expect(await lock.acquire()).toBeUndefined();
      await sleep(1_100);
      const second = await lock.acquire();
      expect(second).toBeDefined();
      // the first holder, late, must not release the second holder's lock
      await lock.release(first!);
      expect(await client.get(key)).toBe(second);
      await lock.release(second!);
      expect(await client.get(key)).toBeNull();
      await client.close();
    });
  });

  describe.skipIf(!redis)(`${label}: the first-page cache (real Redis)`, () => {
    const namespace = () => `test:${randomUUID()}`;

    const caches: FirstPageCacheLike[] = [];
    afterEach(async () => {
      await Promise.all(caches.splice(0).map((cache) => cache.close()));
    });

    /** A worker's cache: its own L1 and its own Redis connections; workers with one namespace share L2. */
    const worker = async (settings: Omit<FirstPageCacheSettings, "redisUrl">) => {
      const cache = createFirstPageCache({ redisUrl: redis!.url, log: () => {}, ...settings });
      caches.push(cache);
      expect(await cache.whenUp(5_000)).toBe(true);
      return cache;
    };

    it("misses once, then hits from Redis and from the worker's own memory", async () => {
      const src = source('{"data":["a"]}');
      const cache = await worker({ load: src.load, namespace: namespace() });
      expect(await cache.read()).toEqual({ body: '{"data":["a"]}', cache: "miss" });
      expect(await cache.read()).toEqual({ body: '{"data":["a"]}', cache: "hit" });
      expect(await cache.read()).toEqual({ body: '{"data":["a"]}', cache: "hit" });
      expect(src.reads).toBe(1);
      expect(cache.stats).toMatchObject({ misses: 1, l2Hits: 1, l1Hits: 1 });
    });

    it("keeps the exact bytes in Redis with a TTL of fresh + stale time", async () => {
      const ns = namespace();
      const bytes = '{"data":[{"content":"好好学习 🚀"}],"next":null}';
      const cache = await worker({ load: async () => bytes, namespace: ns, freshMs: 4_000, staleMs: 2_000 });
      await cache.read();
      const client = createRedisClient(redis!.url);
      await client.connect();
      expect(await client.hGet(pageKey(ns), "body")).toBe(bytes);
      const ttl = await client.pTTL(pageKey(ns));
      expect(ttl).toBeGreaterThan(5_000);
      expect(ttl).toBeLessThanOrEqual(6_000);
      await client.close();
    });

    it.each(["invalidate", "refresh"] as const)(
      "after invalidate() the very next read shows the write (read-your-write in one worker; %s)",
      async (onWrite) => {
        const src = source("v1");
        const cache = await worker({ load: (...args) => src.load(...args), namespace: namespace(), onWrite });
        await cache.read();
        await cache.read(); // now in L1 too
        src.page = "v2";
        expect((await cache.read()).body).toBe("v1"); // the cache does not know yet
        await cache.invalidate();
        expect(await cache.read()).toEqual({ body: "v2", cache: afterWrite[onWrite] });
        expect(src.reads).toBe(2); // the write's refresh or the next read's rebuild, not both
      },
    );

    it.each(["invalidate", "refresh"] as const)(
      "a write is acknowledged only once every worker has dropped its L1 (pub/sub, not expiry; %s)",
      async (onWrite) => {
        const ns = namespace();
        const src = source("v1");
        // L1 and the TTL are a minute long here: only the invalidation message can explain a change
        const long = { freshMs: 60_000, l1MaxAgeMs: 60_000, namespace: ns, load: src.load, onWrite };
        const a = await worker(long);
        const b = await worker(long);
        await a.read();
        await b.read();
        expect(await b.read()).toEqual({ body: "v1", cache: "hit" });
        expect(b.stats.l1Hits).toBe(1);

        src.page = "v2";
        const writtenAt = performance.now();
        await a.invalidate();
        const waitedMs = performance.now() - writtenAt;
        // no waiting, no retry: the other worker's very next read already misses its L1
        expect(await b.read()).toEqual({ body: "v2", cache: afterWrite[onWrite] });
        expect(a.stats.unconfirmedInvalidations).toBe(0);
        console.log(`invalidation (${onWrite}) confirmed by both workers after ${waitedMs.toFixed(1)} ms`);
      },
    );

    it("a write waits for no worker that holds no copy: with writes only, a round waits for no one", async () => {
      const ns = namespace();
      const src = source("v1");
      const settings = { load: src.load, namespace: ns, ackTimeoutMs: 2_000 };
      const a = await worker(settings);
      const b = await worker(settings);
      // a subscriber that never answers: were it waited for, every write would take ackTimeoutMs
      const silent = createRedisClient(redis!.url);
      await silent.connect();
      await silent.subscribe(`${ns}:invalidated`, () => {});
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) await a.invalidate();
      expect(performance.now() - t0).toBeLessThan(1_000);
      expect(a.stats.unconfirmedInvalidations).toBe(0);
      await silent.close();
      // once b has read the page it holds a copy, and is waited for: its L1 is gone when the write is answered
      for (let i = 0; i < 3; i++) await b.read(); // a miss, a hit from Redis, a hit from its L1
      expect(b.stats.l1Hits).toBe(1);
      src.page = "v2";
      await a.invalidate();
      expect(a.stats.unconfirmedInvalidations).toBe(0);
      expect((await b.read()).body).toBe("v2");
    });

    it("a holder that never confirms delays a write by at most ackTimeoutMs", async () => {
      const ns = namespace();
      const src = source("v1");
      const a = await worker({ load: src.load, namespace: ns, ackTimeoutMs: 150 });
      // stands for a worker that is stuck: it registered as a holder a moment ago, but never answers
      const stuck = createRedisClient(redis!.url);
      await stuck.connect();
      await stuck.subscribe(`${ns}:invalidated`, () => {});
      const registrar = createRedisClient(redis!.url);
      await registrar.connect();
      const [seconds] = (await registrar.sendCommand(["TIME"])) as [string, string];
      await registrar.zAdd(holdersKey(ns), { score: Number(seconds) * 1000 + 3_000, value: "stuck" });
      const t0 = performance.now();
      await a.invalidate();
      const waitedMs = performance.now() - t0;
      expect(waitedMs).toBeGreaterThanOrEqual(140);
      expect(waitedMs).toBeLessThan(1_500);
      expect(a.stats.unconfirmedInvalidations).toBe(1);
      await stuck.close();
      // its registration runs out (at most 3 s after it was made): then nobody is waited for
      await sleep(3_100 - (performance.now() - t0));
      await registrar.close();
      await a.invalidate();
      expect(a.stats.unconfirmedInvalidations).toBe(1);
    });

    it("200 concurrent reads of a cold page on two workers cause exactly one store read", async () => {
      const ns = namespace();
      const src = source("the page");
      const a = await worker({ load: src.load, namespace: ns });
      const b = await worker({ load: src.load, namespace: ns });
      src.hold(); // a slow query widens the window in which a stampede could happen
      const reads = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).read());
      await sleep(50);
      src.release();
      const served = await Promise.all(reads);
      expect(src.reads).toBe(1);
      expect(served.every((s) => s.body === "the page")).toBe(true);
      expect(outcomes(served)).toEqual({ miss: 1, hit: 199 });
    });

    it("without protection (CACHE_PROTECTION=off), 200 concurrent reads of a cold page on two workers cause 200 store reads", async () => {
      const ns = namespace();
      const src = source("the page");
      const a = await worker({ load: src.load, namespace: ns, protection: "off" });
      const b = await worker({ load: src.load, namespace: ns, protection: "off" });
      src.hold(); // the same slow query as above: now every reader waits for its own
      const reads = Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).read());
      await until(() => src.reads === 200, "every reader to reach the store");
      src.release();
      const served = await Promise.all(reads);
      expect(src.reads).toBe(200);
      expect(served.every((s) => s.body === "the page")).toBe(true);
      expect(outcomes(served)).toEqual({ miss: 200 });
      expect(a.stats.storeReads + b.stats.storeReads).toBe(200);
    });

    it("without protection an expired page is gone: no stale copy, the next reader reads the store", async () => {
      const ns = namespace();
      const src = source("old");
      const cache = await worker({ load: src.load, namespace: ns, freshMs: 100, protection: "off" });
      expect(await cache.read()).toEqual({ body: "old", cache: "miss" });
      const client = createRedisClient(redis!.url);
      await client.connect();
      expect(await client.pTTL(pageKey(ns))).toBeLessThanOrEqual(100); // the fresh time, nothing more
      await client.close();
      await sleep(150);
      src.page = "new";
      expect(await cache.read()).toEqual({ body: "new", cache: "miss" });
      expect(cache.stats).toMatchObject({ misses: 2, stale: 0, storeReads: 2 });
    });

    it("without protection no reader refreshes early, however its die falls", async () => {
      let clock = 1_000_000;
      const src = source("v1");
      const cache = await worker({
        namespace: namespace(),
        freshMs: 1_000,
        protection: "off",
        now: () => clock,
        random: () => 1e-9, // with protection this reader would always volunteer
        load: async () => {
          clock += 100;
          return src.load();
        },
      });
      await cache.read();
      clock += 850;
      expect(await cache.read()).toEqual({ body: "v1", cache: "hit" });
      await sleep(50);
      expect(src.reads).toBe(1);
      expect(cache.stats.refreshes).toBe(0);
    });

    it("serves the stale copy while exactly one rebuild runs, then the rebuilt page", async () => {
      const ns = namespace();
      const src = source("old");
      const options = { load: src.load, namespace: ns, freshMs: 100, staleMs: 10_000 };
      const a = await worker(options);
      const b = await worker(options);
      await a.read();
      await sleep(150); // now expired, still kept for stale-while-revalidate
      src.page = "new"; // changed behind the cache's back, e.g. by another program
      src.hold();
      const during = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).read()));
      expect(outcomes(during)).toEqual({ stale: 50 });
      expect(during.every((s) => s.body === "old")).toBe(true);
      await until(() => src.reads === 2, "the rebuild to reach the store");
      // more readers while that rebuild still runs: the stale copy again, and still no second rebuild
      const later = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).read()));
      expect(outcomes(later)).toEqual({ stale: 50 });
      await sleep(50);
      expect(src.reads).toBe(2); // the first build and one rebuild, not one per reader
      src.release();
      let after: Served;
      const deadline = Date.now() + 2_000;
      do after = await b.read();
      while (after.body !== "new" && Date.now() < deadline);
      expect(after).toEqual({ body: "new", cache: "hit" });
      expect(src.reads).toBe(2);
    });

    it("XFetch rebuilds a hot page before it expires, while readers keep getting hits", async () => {
      let clock = 1_000_000;
      let roll = 0.999; // a high roll: no early refresh
      const src = source("v1");
      const cache = await worker({
        namespace: namespace(),
        freshMs: 1_000,
        l1MaxAgeMs: 10_000,
        now: () => clock,
        random: () => roll,
        load: async () => {
          clock += 100; // this query "takes" 100 ms: XFetch's delta
          return src.load();
        },
      });
      expect((await cache.read()).cache).toBe("miss"); // fresh until clock + 1,000
      clock += 850; // 150 ms before expiry
      src.page = "v2";
      expect(await cache.read()).toEqual({ body: "v1", cache: "hit" });
      expect(src.reads).toBe(1);
      roll = 0.1; // 100 ms · -ln(0.1) = 230 ms ≥ 150 ms: this reader volunteers
      expect(await cache.read()).toEqual({ body: "v1", cache: "hit" }); // it is not made to wait
      await until(() => cache.stats.refreshes === 1, "the early refresh");
      expect(src.reads).toBe(2);
      expect(cache.stats.refreshes).toBe(1);
      roll = 0.999;
      clock += 200; // past the old expiry: the rebuilt page is still fresh, so no stale, no miss
      expect(await cache.read()).toEqual({ body: "v2", cache: "hit" });
    });

    it("a rebuild that read the store before a write cannot put the old page back", async () => {
      const ns = namespace();
      const src = source("before the write");
      // the write only drops the page here, so that it is acknowledged while the rebuild still waits
      const a = await worker({ load: src.load, namespace: ns, onWrite: "invalidate" });
      const b = await worker({ load: src.load, namespace: ns, onWrite: "invalidate" });
      src.hold();
      const slowRead = a.read(); // reads the store, then waits
      await until(() => src.reads === 1, "the slow rebuild to read the store");
      src.page = "after the write";
      await b.invalidate(); // the write is acknowledged while the slow rebuild still holds the old page
      src.release();
      expect((await slowRead).body).toBe("before the write"); // it began before the write: fine
      expect((await b.read()).body).toBe("after the write");
      expect((await a.read()).body).toBe("after the write");
    });

    it("a write's refresh that read the store before a later write's cannot put its older page back", async () => {
      const ns = namespace();
      const src = source("v0");
      const load = () => src.load();
      const a = await worker({ load, namespace: ns, onWrite: "refresh" });
      const b = await worker({ load, namespace: ns, onWrite: "refresh" });
      await a.read();
      await b.read();
      src.page = "first write";
      const releaseA = src.holdOne();
      const first = a.invalidate(); // reads the store for its refresh, then waits
      await until(() => src.reads === 2, "the first write's refresh to read the store");
      src.page = "second write";
      await b.invalidate(); // the second write's refresh completes while the first still waits
      expect(await b.read()).toEqual({ body: "second write", cache: "hit" });
      releaseA();
      await first;
      expect((await a.read()).body).toBe("second write");
      expect((await b.read()).body).toBe("second write");
    });

    it("with Redis killed, reads bypass to the store; when it returns, the cache recovers by itself", async () => {
      if (!redis!.kill || !redis!.start) return; // a user-given REDIS_URL cannot be killed
      const src = source("v1");
      const cache = await worker({ load: src.load, namespace: namespace() });
      await cache.read();
      expect((await cache.read()).cache).toBe("hit");

      await redis!.kill();
      src.page = "v2";
      await cache.invalidate(); // a write while Redis is down must not fail
      const down = await Promise.all(Array.from({ length: 20 }, () => cache.read()));
      expect(down.every((s) => s.cache === "bypass" && s.body === "v2")).toBe(true);
      expect(cache.redisState()).toBe("down");

      await redis!.start();
      expect(await cache.whenUp(5_000)).toBe(true);
      expect(cache.redisState()).toBe("up");
      expect(await cache.read()).toEqual({ body: "v2", cache: "miss" });
      expect(await cache.read()).toEqual({ body: "v2", cache: "hit" });
    }, 15_000);

    it("with Redis frozen (connected, answering nothing), reads and writes go on after commandTimeoutMs", async () => {
      if (!redis!.pause || !redis!.resume) return; // a user-given REDIS_URL cannot be frozen
      const src = source("v1");
      const cache = await worker({
        load: src.load,
        namespace: namespace(),
        l1MaxAgeMs: 0,
        commandTimeoutMs: 200,
      });
      expect(await cache.read()).toEqual({ body: "v1", cache: "miss" });
      redis!.pause();
      try {
        let started = performance.now();
        expect(await cache.read()).toEqual({ body: "v1", cache: "bypass" });
        let waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(190);
        expect(waited).toBeLessThan(1_500);
        src.page = "v2";
        started = performance.now();
        await cache.invalidate(); // the write's round gives up; the write is not held
        waited = performance.now() - started;
        expect(waited).toBeLessThan(2_000);
      } finally {
        redis!.resume();
      }
      expect(await cache.whenUp(5_000)).toBe(true);
      expect((await cache.read()).body).toBe("v2");
    }, 15_000);

    it("starts in bypass when Redis is not there yet, and never makes a request wait for it", async () => {
      const src = source("v1");
      const cache = createFirstPageCache({ redisUrl: "redis://127.0.0.1:1", load: src.load, log: () => {} });
      caches.push(cache);
      const t0 = performance.now();
      expect(await cache.read()).toEqual({ body: "v1", cache: "bypass" });
      expect(performance.now() - t0).toBeLessThan(500);
      expect(cache.redisState()).toBe("down");
    });
  });
}
