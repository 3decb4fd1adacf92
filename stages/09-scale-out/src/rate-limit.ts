import { ConfigError, jsonError, type Setting } from "@zero-to-one/server-kit";
import type { Context, MiddlewareHandler } from "hono";
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { readCredentials } from "./accounts.js";
import { clientAddress } from "./client-address.js";
import { BucketsUnavailableError, type TokenBuckets } from "./token-bucket.js";

/** A bucket's shape: up to `burst` requests at once, then `perSecond` on average. */
export interface Rate {
  burst: number;
  perSecond: number;
}

/** `RATE_LIMIT_API=60/10`: a burst of 60, then 10 a second; `10/0.1`: 10, then one every 10 s. */
export const rate =
  (fallback: string): Setting<Rate> =>
  (name, raw) => {
    const value = raw === undefined || raw.trim() === "" ? fallback : raw.trim();
    const match = /^(\d+)\/(\d+(?:\.\d+)?)$/.exec(value);
    const burst = Number(match?.[1]);
    const perSecond = Number(match?.[2]);
    if (!match || burst < 1 || burst > 1_000_000 || perSecond <= 0 || perSecond > 1_000_000) {
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} is not valid: expected burst/per-second, such as 60/10 ` +
          `(a burst of 60 requests, then 10 a second) or 10/0.1 (10, then one every 10 seconds)`,
      );
    }
    return { burst, perSecond };
  };

export const rateLimitSettings = {
  /** Per signed-in user, over the whole API. */
  RATE_LIMIT_API: rate("60/10"),
  /** Per client address on /login and /signup, and per username on /login. */
  RATE_LIMIT_LOGIN: rate("10/0.1"),
};

/** One bucket a request takes a token from: which policy, its rate, and whose bucket (none: skipped). */
export interface Limit {
  policy: string;
  rate: Rate;
  partition: (c: Context) => string | undefined | Promise<string | undefined>;
}

export interface RateLimitOptions {
  buckets: TokenBuckets;
  limits: Limit[];
  /**
   * Redis unreachable: "open" lets the request through unlimited, "closed" refuses it with a 503
   * (see the chapter for which routes do which, and why).
   */
  whenUnavailable: "open" | "closed";
}

/**
 * Takes one token from each of the request's buckets (all or none: token-bucket.ts) and answers
 * 429 when one is empty. Every answer it lets through says what is left, in the header fields of
 * draft-ietf-httpapi-ratelimit-headers-11 (May 2026):
 *
 *   RateLimit-Policy: "api";q=60;w=6     the bucket holds 60 and refills from empty in 6 s
 *   RateLimit: "api";r=41;t=1            41 left, and no more than 41 within the next second
 *
 * `t` is the time until the bucket holds one more token, so it is exactly when a refused client may
 * try again: on a 429 it equals Retry-After, as the draft asks (Retry-After no earlier than `t`).
 */
export function rateLimit({ buckets, limits, whenUnavailable }: RateLimitOptions): MiddlewareHandler {
  const policyField = limits
    .map(({ policy, rate }) => `"${policy}";q=${rate.burst};w=${Math.ceil(rate.burst / rate.perSecond)}`)
    .join(", ");
  return async (c, next) => {
    const applied: { limit: Limit; key: string }[] = [];
    for (const limit of limits) {
      const partition = await limit.partition(c);
      if (partition !== undefined) applied.push({ limit, key: bucketKey(limit.policy, partition) });
    }
    if (applied.length === 0) return next();

    let taken;
    try {
      taken = await buckets.take(
        applied.map(({ limit, key }) => ({ key, burst: limit.rate.burst, perSecond: limit.rate.perSecond })),
      );
    } catch (error) {
      if (!(error instanceof BucketsUnavailableError)) throw error;
      if (whenUnavailable === "open") return next();
      return jsonError(
        c,
        503,
        "this is paused while the rate limiter (Redis) is unavailable, so that passwords cannot be " +
          "guessed unlimited; try again shortly",
        { "Retry-After": "1" },
      );
    }

    const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
    const headers = {
      "RateLimit-Policy": policyField,
      RateLimit: applied
        .map(({ limit }, i) => {
          const state = taken.buckets[i]!;
          return `"${limit.policy}";r=${state.remaining};t=${seconds(state.nextTokenMs)}`;
        })
        .join(", "),
    };
    if (!taken.allowed) {
      const empty = applied
        .map(({ limit }, i) => ({ policy: limit.policy, ...taken.buckets[i]! }))
        .filter((state) => state.remaining === 0);
      const wait = seconds(Math.max(...empty.map((state) => state.nextTokenMs)));
      return jsonError(
        c,
        429,
        `too many requests (${empty.map((state) => state.policy).join(", ")}); try again in ${wait} s`,
        { ...headers, "Retry-After": String(wait) },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}

/**
 * A bucket's Redis key. The partition (a user id, an address, a username) is hashed: a key of
 * fixed length whatever a client sends, and no username readable in Redis.
 */
const bucketKey = (policy: string, partition: string) =>
  `zto:rate:${policy}:${createHash("sha256").update(partition).digest("base64url")}`;

/**
 * The limits of this stage, one middleware per kind of route:
 *
 * - `api`, after requireUser: per signed-in user, failing open (the API keeps answering when Redis
 *   is away, as it does without its cache; nginx's limit_req still stands in front).
 * - `signup`: per client address, failing closed.
 * - `login` (/login and /tokens): per client address and per username, two buckets taken together,
 *   failing closed. One address trying many usernames and many addresses trying one username are
 *   both stopped. Without Redis nothing counts the guesses, so no guess is taken.
 */
export function createRateLimits({
  buckets,
  api,
  login,
  trustedProxies,
}: {
  buckets: TokenBuckets;
  api: Rate;
  login: Rate;
  /** Addresses whose X-Forwarded-For is believed (client-address.ts). */
  trustedProxies: ReadonlySet<string>;
}) {
  const address = (c: Context) =>
    clientAddress(
      (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress,
      c.req.header("x-forwarded-for"),
      trustedProxies,
    );
  // read as the route reads it (lower-cased), so "Alice" and "alice" share a bucket; a body without
  // a username has no username bucket, and the route answers it 400
  const username = async (c: Context) => {
    try {
      return (await readCredentials(c)).username;
    } catch {
      return undefined;
    }
  };
  return {
    api: rateLimit({
      buckets,
      whenUnavailable: "open",
      limits: [
        { policy: "api", rate: api, partition: (c) => (c.get("user") as { id: string } | undefined)?.id },
      ],
    }),
    signup: rateLimit({
      buckets,
      whenUnavailable: "closed",
      limits: [{ policy: "signup", rate: login, partition: address }],
    }),
    login: rateLimit({
      buckets,
      whenUnavailable: "closed",
      limits: [
        { policy: "login-address", rate: login, partition: address },
        { policy: "login-username", rate: login, partition: username },
      ],
    }),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
