import { NO_REDIS_URL, requestOnce, type Cluster, type Reply } from "@zero-to-one/test-kit";
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDbPath, noRedis, startCluster } from "./cluster.js";

if (noRedis) console.log(`skipped: ${noRedis}`);

const PASSWORD = "a passphrase long enough";
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});
const cookieOf = (reply: Reply) =>
  /session=[^;]+/.exec([reply.headers["set-cookie"] ?? []].flat().join(";"))?.[0];
const message = (reply: Reply) => (JSON.parse(reply.body) as { error: { message: string } }).error.message;

/** One keep-alive connection, so that every request on it reaches the same cluster worker. */
function pinnedConnection(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const send = (path: string, headers: Record<string, string> = {}) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(`${url}${path}`, { agent, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on("error", reject);
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

describe.skipIf(Boolean(noRedis))("the rate limits in the running app", () => {
  describe("per user on the API, shared by the workers", () => {
    let cluster: Cluster;
    let alice: string;
    let bob: string;
    beforeAll(async () => {
      cluster = await startCluster({ WORKERS: "2", RATE_LIMIT_API: "4/0.05" });
      const signUp = async (username: string) =>
        cookieOf(
          await requestOnce(`${cluster.url}/signup`, {
            method: "POST",
            ...json({ username, password: PASSWORD }),
          }),
        )!;
      alice = await signUp("alice");
      bob = await signUp("bob");
    });
    afterAll(async () => {
      if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
    });

    it("counts one bucket across both workers: requests alternating between them drain it one by one", async () => {
      // two connections, each pinned to a worker: open new ones until they sit on different workers
      const pidOf = async (connection: ReturnType<typeof pinnedConnection>) =>
        (JSON.parse((await connection.send("/healthz")).body) as { worker: { pid: number } }).worker.pid;
      const byWorker = new Map<number, ReturnType<typeof pinnedConnection>>();
      for (let i = 0; i < 20 && byWorker.size < 2; i++) {
        const connection = pinnedConnection(cluster.url);
        const pid = await pidOf(connection);
        if (byWorker.has(pid)) connection.close();
        else byWorker.set(pid, connection);
      }
      try {
        expect(byWorker.size).toBe(2);
        const [first, second] = [...byWorker.values()];
        const replies: Reply[] = [];
        for (let i = 0; i < 6; i++)
          replies.push(await (i % 2 ? second! : first!).send("/todo", { cookie: alice }));
        expect(replies.map((reply) => reply.status)).toEqual([200, 200, 200, 200, 429, 429]);
        // per-worker buckets would say 3, 3, 2, 2, …: one shared bucket says 3, 2, 1, 0
        expect(replies.slice(0, 4).map((reply) => reply.headers["ratelimit"])).toEqual([
          '"api";r=3;t=20',
          '"api";r=2;t=20',
          '"api";r=1;t=20',
          '"api";r=0;t=20',
        ]);
        for (const reply of replies) expect(reply.headers["ratelimit-policy"]).toBe('"api";q=4;w=80');
        const refused = replies[4]!;
        expect(refused.headers["retry-after"]).toBe("20");
        expect(refused.headers["content-type"]).toMatch(/^application\/json/);
        expect(JSON.parse(refused.body)).toEqual({
          error: { status: 429, message: "too many requests (api); try again in 20 s" },
        });
      } finally {
        for (const connection of byWorker.values()) connection.close();
      }
    });

    it("limits each user on their own, and leaves the public routes alone", async () => {
      const asBob = await requestOnce(`${cluster.url}/todo`, { headers: { cookie: bob } });
      expect(asBob.status).toBe(200);
      expect(asBob.headers["ratelimit"]).toBe('"api";r=3;t=20');
      expect((await requestOnce(`${cluster.url}/todo`, { headers: { cookie: alice } })).status).toBe(429);
      // every signed-in route shares the user's bucket, /me included
      expect((await requestOnce(`${cluster.url}/me`, { headers: { cookie: alice } })).status).toBe(429);
      const index = await requestOnce(`${cluster.url}/index`);
      expect(index.status).toBe(200);
      expect(index.headers["ratelimit"]).toBeUndefined();
    });

    it("never answers 5xx to a flood: 200 or 429, and no more 200s than the bucket holds", async () => {
      const carol = cookieOf(
        await requestOnce(`${cluster.url}/signup`, {
          method: "POST",
          ...json({ username: "carol", password: PASSWORD }),
        }),
      )!;
      const statuses = (
        await Promise.all(
          Array.from({ length: 40 }, () =>
            requestOnce(`${cluster.url}/todo`, { headers: { cookie: carol } }),
          ),
        )
      ).map((reply) => reply.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(4);
      expect(statuses.filter((s) => s === 429)).toHaveLength(36);
    });
  });

  describe("sign-in: per address and per username, two buckets", () => {
    let cluster: Cluster;
    // each address below is another machine to the app: connections from 127.0.0.x, no proxy
    const login = (from: string, username: string, headers: Record<string, string> = {}) =>
      requestOnce(`${cluster.url}/login`, {
        method: "POST",
        localAddress: from,
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ username, password: "a wrong guess, surely" }),
      });
    // a token every 100 s, less what the attempts before took (each costs a password hash)
    const expectWait = (reply: Reply) => {
      expect(Number(reply.headers["retry-after"])).toBeGreaterThan(80);
      expect(Number(reply.headers["retry-after"])).toBeLessThanOrEqual(100);
      expect(message(reply)).toContain(`try again in ${reply.headers["retry-after"] as string} s`);
    };
    beforeAll(async () => {
      cluster = await startCluster({ WORKERS: "2", RATE_LIMIT_LOGIN: "3/0.01" });
    });
    afterAll(async () => {
      if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
    });

    it("stops one address trying many usernames", async () => {
      const replies = [];
      for (const username of ["user-a", "user-b", "user-c", "user-d"])
        replies.push(await login("127.0.0.2", username));
      expect(replies.map((reply) => reply.status)).toEqual([401, 401, 401, 429]);
      expect(message(replies[3]!)).toMatch(/^too many requests \(login-address\); try again in \d+ s$/);
      expectWait(replies[3]!);
      expect(replies[0]!.headers["ratelimit-policy"]).toBe(
        '"login-address";q=3;w=300, "login-username";q=3;w=300',
      );
      expect(replies[0]!.headers["ratelimit"]).toBe('"login-address";r=2;t=100, "login-username";r=2;t=100');
      // an address is not a user: someone else still gets in line
      expect((await login("127.0.0.3", "user-e")).status).toBe(401);
    });

    it("stops many addresses trying one username (the letter case makes no other username)", async () => {
      const replies = [];
      for (const [from, username] of [
        ["127.0.0.4", "target"],
        ["127.0.0.5", "TARGET"],
        ["127.0.0.6", "Target"],
        ["127.0.0.7", "target"],
      ] as const) {
        replies.push(await login(from, username));
      }
      expect(replies.map((reply) => reply.status)).toEqual([401, 401, 401, 429]);
      expect(message(replies[3]!)).toMatch(/^too many requests \(login-username\); try again in \d+ s$/);
      expectWait(replies[3]!);
    });

    it("POST /tokens shares the login buckets: it is another way to guess a password", async () => {
      const tokens = await requestOnce(`${cluster.url}/tokens`, {
        method: "POST",
        localAddress: "127.0.0.8",
        ...json({ username: "target", password: "a wrong guess, surely" }),
      });
      expect(tokens.status).toBe(429);
    });

    it("ignores X-Forwarded-For from a client that is not the proxy: forged addresses share its bucket", async () => {
      const statuses = [];
      for (const forged of ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) {
        statuses.push((await login("127.0.0.9", `forger-${forged}`, { "x-forwarded-for": forged })).status);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
    });

    it("limits sign-ups per address on a bucket of their own", async () => {
      const statuses = [];
      for (const username of ["new-1", "new-2", "new-3", "new-4"]) {
        const reply = await requestOnce(`${cluster.url}/signup`, {
          method: "POST",
          localAddress: "127.0.0.2", // the address whose login bucket is empty: sign-up counts apart
          ...json({ username, password: PASSWORD }),
        });
        statuses.push(reply.status);
        if (reply.status === 429) expect(message(reply)).toMatch(/^too many requests \(signup\)/);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);
    });
  });

  describe("when the rate limiter's Redis is down (the sessions' Redis up)", () => {
    let up: Cluster;
    let down: Cluster;
    let cookie: string;
    beforeAll(async () => {
      // one database and one session store (the tests' SESSION_REDIS_URL); the second cluster's
      // REDIS_URL, where the cache and the buckets live, leads nowhere
      const DB_PATH = freshDbPath();
      up = await startCluster({ WORKERS: "1", DB_PATH });
      cookie = cookieOf(
        await requestOnce(`${up.url}/signup`, {
          method: "POST",
          ...json({ username: "dora", password: PASSWORD }),
        }),
      )!;
      down = await startCluster({
        WORKERS: "1",
        DB_PATH,
        REDIS_URL: NO_REDIS_URL,
      });
    });
    afterAll(async () => {
      for (const cluster of [up, down]) {
        if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
      }
    });

    it("the API fails open: signed-in requests are served, unlimited, without RateLimit fields", async () => {
      for (let i = 0; i < 3; i++) {
        const reply = await requestOnce(`${down.url}/todo`, { headers: { cookie } });
        expect(reply.status).toBe(200);
        expect(reply.headers["ratelimit"]).toBeUndefined();
      }
    });

    it("sign-in fails closed: 503 with Retry-After, since nothing would count password guesses", async () => {
      for (const path of ["/login", "/tokens", "/signup"]) {
        const reply = await requestOnce(`${down.url}${path}`, {
          method: "POST",
          ...json({ username: "dora", password: PASSWORD }),
        });
        expect(reply.status).toBe(503);
        expect(reply.headers["retry-after"]).toBe("1");
        expect(message(reply)).toMatch(/rate limiter \(Redis\) is unavailable/);
      }
    });
  });
});
