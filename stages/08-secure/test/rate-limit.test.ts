import { spawnSync } from "node:child_process";
import { onError, readConfig } from "@zero-to-one/server-kit";
import { NO_REDIS_URL, startTestRedis } from "@zero-to-one/test-kit";
import { Hono } from "hono";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { rate, rateLimit, rateLimitSettings, type Limit } from "../src/rate-limit.js";
import { createTokenBuckets, type TokenBuckets } from "../src/token-bucket.js";

describe("RATE_LIMIT_API and RATE_LIMIT_LOGIN", () => {
  it("read burst/per-second, with a fraction allowed for slow refills", () => {
    expect(readConfig(rateLimitSettings, { RATE_LIMIT_API: "100/20", RATE_LIMIT_LOGIN: "5/0.2" })).toEqual({
      RATE_LIMIT_API: { burst: 100, perSecond: 20 },
      RATE_LIMIT_LOGIN: { burst: 5, perSecond: 0.2 },
    });
    expect(readConfig(rateLimitSettings, {})).toEqual({
      RATE_LIMIT_API: { burst: 60, perSecond: 10 },
      RATE_LIMIT_LOGIN: { burst: 10, perSecond: 0.1 },
    });
  });

  it.each(["60", "0/10", "10/0", "-1/5", "ten/1", "10/1/1", "1e3/1", "2000000/1"])(
    "refuse %s with one line naming the setting",
    (raw) => {
      expect(() => rate("60/10")("RATE_LIMIT_API", raw)).toThrow(
        new RegExp(
          `^RATE_LIMIT_API=${JSON.stringify(raw).replace(/[./]/g, "\\$&")} is not valid: expected burst/per-second`,
        ),
      );
    },
  );
});

const started = await startTestRedis();
// freezing a Redis needs one of the suite's own (SIGSTOP), even where REDIS_URL names a shared one
const noServerToFreeze = spawnSync("redis-server", ["--version"]).error
  ? "redis-server is not installed (apt-get install redis-server): the hanging-Redis test needs one to freeze"
  : undefined;
if (!started.skipped && noServerToFreeze) console.log(`skipped: ${noServerToFreeze}`);

describe.skipIf(started.skipped)("the token bucket in Redis", () => {
  if (started.skipped) console.log(`skipped: ${started.skipped}`);
  const opened: TokenBuckets[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((buckets) => buckets.close()));
    await started.redis?.stop();
  });

  /** Buckets on the test's Redis, connected before the first request (a fresh client connects lazily). */
  async function buckets(options: { now?: () => number; redisUrl?: string } = {}) {
    const opening = createTokenBuckets({
      redisUrl: options.redisUrl ?? started.redis!.url,
      now: options.now,
    });
    opened.push(opening);
    // a request that arrives before the connection is up finds the limiter unavailable, as in production
    for (let i = 0; i < 100 && options.redisUrl === undefined; i++) {
      try {
        await opening.take([{ key: `zto:test:warm-up:${randomUUID()}`, burst: 1, perSecond: 1 }]);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    return opening;
  }

  /** An app whose one route is limited per the `X-Who` header, on a policy of its own. */
  function limitedApp(tokenBuckets: TokenBuckets, limitRate: { burst: number; perSecond: number }) {
    const policy = `test-${randomUUID().slice(0, 8)}`;
    const limits: Limit[] = [{ policy, rate: limitRate, partition: (c) => c.req.header("x-who") }];
    const app = new Hono();
    app.use(rateLimit({ buckets: tokenBuckets, limits, whenUnavailable: "open" }));
    app.get("/thing", (c) => c.json({ ok: true }));
    app.onError(onError);
    return { app, policy, get: (who = "alice") => app.request("/thing", { headers: { "x-who": who } }) };
  }

  it("lets a burst through, then answers 429 in the API's error shape with Retry-After and RateLimit fields", async () => {
    const { get, policy } = limitedApp(await buckets(), { burst: 3, perSecond: 0.1 });
    const allowed = [await get(), await get(), await get()];
    expect(allowed.map((res) => res.status)).toEqual([200, 200, 200]);
    for (const res of allowed) expect(res.headers.get("ratelimit-policy")).toBe(`"${policy}";q=3;w=30`);
    // what is left goes down with each answer; the next token is 10 s away at 0.1 a second
    expect(allowed.map((res) => res.headers.get("ratelimit"))).toEqual([
      `"${policy}";r=2;t=10`,
      `"${policy}";r=1;t=10`,
      `"${policy}";r=0;t=10`,
    ]);

    const refused = await get();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toMatch(/^application\/json/);
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(refused.headers.get("ratelimit")).toBe(`"${policy}";r=0;t=10`);
    expect(refused.headers.get("ratelimit-policy")).toBe(`"${policy}";q=3;w=30`);
    expect(await refused.json()).toEqual({
      error: { status: 429, message: `too many requests (${policy}); try again in 10 s` },
    });
  });

  it("counts each partition on its own: one client's burst does not limit another", async () => {
    const { get } = limitedApp(await buckets(), { burst: 1, perSecond: 0.1 });
    expect((await get("alice")).status).toBe(200);
    expect((await get("alice")).status).toBe(429);
    expect((await get("bob")).status).toBe(200);
  });

  it("never answers 5xx under a flood: every request is 200 or 429, and exactly the burst passes", async () => {
    const { get } = limitedApp(await buckets(), { burst: 20, perSecond: 0.01 });
    const statuses = (await Promise.all(Array.from({ length: 100 }, () => get()))).map((res) => res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(80);
  });

  it("refills with time (a fake clock): one token a second, never above the burst", async () => {
    let now = 1_000_000;
    const { get } = limitedApp(await buckets({ now: () => now }), { burst: 2, perSecond: 1 });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const empty = await get();
    expect(empty.status).toBe(429);
    expect(empty.headers.get("retry-after")).toBe("1");

    now += 400;
    const early = await get();
    expect(early.status).toBe(429);
    // 600 ms to go: Retry-After rounds up to whole seconds, never telling a client to come back too soon
    expect(early.headers.get("retry-after")).toBe("1");

    now += 600;
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);

    // an hour idle refills the bucket to its burst, not to 3,600 tokens
    now += 3_600_000;
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
  });

  it("refills on Redis's own clock when no clock is given", async () => {
    const { get } = limitedApp(await buckets(), { burst: 1, perSecond: 1 });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(429);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await get()).status).toBe(200);
  });

  it("takes from several buckets all or nothing: a refused request costs none of them", async () => {
    const tokenBuckets = await buckets();
    const key = () => `zto:test:${randomUUID()}`;
    const wide = { key: key(), burst: 5, perSecond: 0.01 };
    const narrow = { key: key(), burst: 1, perSecond: 0.01 };
    expect((await tokenBuckets.take([wide, narrow])).allowed).toBe(true);
    const refused = await tokenBuckets.take([wide, narrow]);
    expect(refused.allowed).toBe(false);
    // the wide bucket paid once (5 → 4), not twice, for the request the narrow one refused
    expect(refused.buckets.map((b) => b.remaining)).toEqual([4, 0]);
    expect((await tokenBuckets.take([wide])).buckets[0]!.remaining).toBe(3);
  });

  it("works after Redis forgets the script (EVALSHA's NOSCRIPT falls back to EVAL)", async () => {
    const { get } = limitedApp(await buckets(), { burst: 5, perSecond: 1 });
    expect((await get()).status).toBe(200);
    const { createClient } = await import("redis");
    const admin = createClient({ url: started.redis!.url });
    await admin.connect();
    await admin.scriptFlush();
    await admin.close();
    const res = await get();
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit")).toMatch(/;r=3;/);
  });

  describe("when Redis is down", () => {
    const limits = (policy: string): Limit[] => [
      { policy, rate: { burst: 1, perSecond: 0.1 }, partition: () => "someone" },
    ];
    const appWith = async (whenUnavailable: "open" | "closed") => {
      const app = new Hono();
      app.use(
        rateLimit({
          buckets: await buckets({ redisUrl: NO_REDIS_URL }),
          limits: limits("down"),
          whenUnavailable,
        }),
      );
      app.post("/thing", (c) => c.json({ ok: true }));
      return app;
    };

    it("fails open where chosen (the API): the request goes through, unlimited and without RateLimit fields", async () => {
      const app = await appWith("open");
      for (let i = 0; i < 3; i++) {
        const res = await app.request("/thing", { method: "POST" });
        expect(res.status).toBe(200);
        expect(res.headers.get("ratelimit")).toBeNull();
      }
    });

    it("fails closed where chosen (sign-in): 503 in the API's error shape, with Retry-After", async () => {
      const res = await (await appWith("closed")).request("/thing", { method: "POST" });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await res.json()).toEqual({
        error: { status: 503, message: expect.stringMatching(/rate limiter \(Redis\) is unavailable/) },
      });
    });

    it.skipIf(noServerToFreeze)(
      "treats a Redis that hangs like one that is down, within the command deadline",
      async () => {
        const paused = (await startTestRedis({ persistent: true })).redis!;
        const hanging = createTokenBuckets({ redisUrl: paused.url, commandTimeoutMs: 200 });
        try {
          const app = new Hono();
          app.use(rateLimit({ buckets: hanging, limits: limits("hang"), whenUnavailable: "closed" }));
          app.post("/thing", (c) => c.json({ ok: true }));
          for (let i = 0; i < 100 && (await app.request("/thing", { method: "POST" })).status !== 200; i++) {
            await new Promise((r) => setTimeout(r, 20));
          }
          paused.pause!();
          const startedAt = Date.now();
          const res = await app.request("/thing", { method: "POST" });
          expect(res.status).toBe(503);
          expect(Date.now() - startedAt).toBeLessThan(2_000);
        } finally {
          paused.resume!();
          // closed while its server still answers the command that timed out: a graceful close
          // waits for that reply, which a server killed first would never send
          await hanging.close();
          await paused.stop();
        }
      },
    );
  });
});
