import { integer } from "@zero-to-one/server-kit";
import { createHash, randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDeadline } from "./deadline.js";
import { closeRedisClient, createRedisClient } from "./redis-client.js";
import { secretUrl } from "./secrets.js";

/** The settings of the session store; SESSION_REDIS_URL defaults to REDIS_URL. */
export const sessionSettings = {
  /**
   * Where sessions live. Sessions are data, not cache: their Redis must keep them (persistence on, no
   * eviction), where the cache's may lose everything at any moment. One Redis can be both.
   */
  SESSION_REDIS_URL: secretUrl(["redis:", "rediss:"]),
  /** How long a session lasts from sign-in: the key's TTL in Redis and the cookie's Max-Age. */
  SESSION_TTL_S: integer(7 * 24 * 3600, { min: 60, max: 365 * 24 * 3600 }),
};

/** Who a session belongs to: all a request needs, without reading the account. */
export interface SessionUser {
  id: string;
  username: string;
}

/** 32 random bytes in base64url: what `create` hands out, and the only shape `find` looks up. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

/** Ends every session of one account at once (a password change): the ids are in the account's set. */
const END_ALL = `
local keys = redis.call('SMEMBERS', KEYS[1])
for _, key in ipairs(keys) do redis.call('DEL', key) end
redis.call('DEL', KEYS[1])
return #keys`;

/** Redis could not be reached: no one can be signed in, and the API answers 503 rather than 401. */
export class SessionsUnavailableError extends Error {
  override name = "SessionsUnavailableError";
}

/**
 * Server-side sessions in Redis. The session id is an opaque random value (256 bits from the
 * system's CSPRNG) that means nothing by itself; everything it stands for stays here, so every worker
 * and every host that reaches this Redis sees the same sessions, and ending one ends it everywhere
 * at once. A cookie carries the id for browsers, `Authorization: Bearer` for API clients.
 *
 * Redis keeps a hash of the id, not the id: a copy of its data (a dump, a replica, MONITOR)
 * holds no session anyone could use.
 */
export function createSessions({
  redisUrl,
  ttlSeconds,
  namespace = "zto:session",
  commandTimeoutMs = 1_000,
}: {
  redisUrl: string;
  ttlSeconds: number;
  namespace?: string;
  commandTimeoutMs?: number;
}) {
  const redis = createRedisClient(redisUrl);
  // the first-page cache logs Redis going and coming back; here a failed command is a 503
  redis.on("error", () => {});
  redis.connect().catch(() => {});
  // the first requests after start-up may come before the first connection: they wait for it a
  // moment; once it was up, a lost connection fails fast (a 503 the client retries)
  const firstConnection = Promise.race([
    new Promise((resolve) => redis.once("ready", resolve)),
    sleep(commandTimeoutMs, undefined, { ref: false }),
  ]);
  const bounded = createDeadline(commandTimeoutMs);
  const keyOf = (id: string) => `${namespace}:${createHash("sha256").update(id).digest("base64url")}`;
  const accountKey = (userId: string) => `${namespace}:account:${userId}`;

  const command = async <T>(work: () => Promise<T>): Promise<T> => {
    await firstConnection;
    if (!redis.isReady) throw new SessionsUnavailableError("the session store (Redis) is not connected");
    try {
      return await bounded(work());
    } catch (error) {
      throw new SessionsUnavailableError(
        `the session store (Redis) did not answer: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  return {
    ttlSeconds,

    /** A new session for `user`; its id goes to the client and nowhere else. */
    async create(user: SessionUser): Promise<string> {
      const id = randomBytes(32).toString("base64url");
      const key = keyOf(id);
      await command(() =>
        redis
          .multi()
          .set(key, JSON.stringify({ id: user.id, username: user.username }), {
            expiration: { type: "EX", value: ttlSeconds },
          })
          .sAdd(accountKey(user.id), key)
          .expire(accountKey(user.id), ttlSeconds)
          .exec(),
      );
      return id;
    },

    /** The session's user, or undefined for an id that is malformed, unknown, expired or ended. */
    async find(id: string): Promise<SessionUser | undefined> {
      if (!SESSION_ID.test(id)) return undefined;
      const value = await command(() => redis.get(keyOf(id)));
      return value === null ? undefined : (JSON.parse(value) as SessionUser);
    },

    /** Logout: this session ends on every worker and host at once. */
    async end(id: string, userId: string): Promise<void> {
      const key = keyOf(id);
      await command(() => redis.multi().del(key).sRem(accountKey(userId), key).exec());
    },

    /** Every session of the account ends (a password change); returns how many there were. */
    async endAll(userId: string): Promise<number> {
      const ended = await command(() => redis.eval(END_ALL, { keys: [accountKey(userId)] }));
      return Number(ended);
    },

    /** Throws SessionsUnavailableError while Redis cannot be used (down, or refusing us: NOAUTH). */
    ping: async (): Promise<void> => void (await command(() => redis.ping())),

    close: () => closeRedisClient(redis, commandTimeoutMs),
  };
}

export type Sessions = ReturnType<typeof createSessions>;
