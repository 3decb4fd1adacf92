import { form, requestOnce, type Cluster, type RedisOrReason } from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { overHttp } from "./client.js";
import type { SignIn } from "./sign-in.js";
import type { Todo } from "./todo-shape.js";

type Page = { data: Todo[] };

export interface ClusterCacheOptions {
  /** The stage folder, with dist/server.js and dist/seed.js built. */
  stageDir: string;
  /** Starts the stage's built cluster as a real process with 2 workers, `env` on top of its defaults. */
  startCluster: (env?: Record<string, string>) => Promise<Cluster>;
  /** A fresh SQLite file path. */
  freshDbPath: () => string;
  /**
   * The Redis the stage's test processes use, or why there is none: this suite is then skipped,
   * with one `skipped:` line.
   */
  redis: RedisOrReason;
  /** What the start-up line says about the cache. */
  startUpLine: RegExp;
  /**
   * Stage 08+: how the suite signs in; it must be as the account `npm run seed` fills (by default),
   * since the suite reads the seeded todos back.
   */
  signIn?: SignIn;
}

/**
 * The first-page cache on the stage's real cluster (2 worker processes, real Redis): one store read
 * for a stampede, every write read back at once, `npm run seed` refreshing it, and a Redis outage.
 */
export function describeClusterCache(
  label: string,
  {
    stageDir,
    startCluster,
    freshDbPath,
    redis: { redis, skipped },
    startUpLine,
    signIn,
  }: ClusterCacheOptions,
) {
  if (skipped) console.log(`skipped: ${label}, the cache on the real cluster: ${skipped}`);
  let cluster: Cluster | undefined;
  /** What every request of the suite carries: a signed-in user's header from stage 08 on. */
  let auth: Record<string, string> = {};
  const dbPath = freshDbPath();
  afterAll(async () => {
    if (cluster) expect(await cluster.stop()).toBe(0);
  });

  describe.skipIf(!redis)(
    `${label}: the cache on the real cluster (2 worker processes, real Redis)`,
    { timeout: 60_000 },
    () => {
      /**
       * A GET, sent once more if the kept-alive connection it went out on had been closed by the
       * server meanwhile, as a browser does: `npm run seed` leaves it idle for seconds, and on a
       * busy machine the client can reuse it just as the server's keep-alive timeout closes it.
       */
      const get = async (path: string) => {
        const send = () => fetch(cluster!.url + path, { headers: auth });
        const res = await send().catch((error: unknown) => {
          if ((error as { cause?: { code?: string } }).cause?.code !== "UND_ERR_SOCKET") throw error;
          return send();
        });
        return { status: res.status, cache: res.headers.get("x-cache"), body: await res.text() };
      };
      /**
       * A POST on a connection of its own, so it never goes out on a kept-alive one the server is
       * closing as idle (what `get` sends once more), and is never sent twice.
       */
      const create = async (content: string) => {
        const post = form(content);
        const res = await requestOnce(`${cluster!.url}/todo`, {
          ...post,
          headers: { ...post.headers, ...auth },
        });
        expect(res.status, res.body).toBe(201);
        return JSON.parse(res.body) as Todo;
      };
      /** `npm run seed` beside the running cluster: a writer behind the API's back. */
      const seed = (args: string[], env: Record<string, string> = {}) => {
        const run = spawnSync(process.execPath, ["dist/seed.js", ...args], {
          cwd: stageDir,
          env: { ...process.env, DB_PATH: dbPath, MONGO_URL: "", REDIS_URL: redis!.url, ...env },
          encoding: "utf8",
        });
        expect(run.status, run.stderr).toBe(0);
        return run.stdout;
      };

      it("starts with the cache in use on every worker", async () => {
        cluster = await startCluster({ REDIS_URL: redis!.url, DB_PATH: dbPath });
        expect(cluster.output()).toMatch(startUpLine);
        if (signIn) auth = await signIn(overHttp(cluster.url));
        for (let i = 0; i < 15; i++) await create(`todo ${i}`);
      });

      it("200 concurrent requests for a cold first page: exactly one of them read the store", async () => {
        // a writer that only drops the page (CACHE_ON_WRITE=invalidate): cold in Redis and in every L1
        expect(seed(["--count", "15"], { CACHE_ON_WRITE: "invalidate" })).toMatch(
          /cache: first page invalidated/,
        );
        const answers = await Promise.all(Array.from({ length: 200 }, () => get("/todo")));
        expect(answers.every((a) => a.status === 200)).toBe(true);
        expect(new Set(answers.map((a) => a.body)).size).toBe(1);
        expect(answers.filter((a) => a.cache === "miss")).toHaveLength(1);
        expect(answers.filter((a) => a.cache === "hit")).toHaveLength(199);
      });

      it("reads every write back at once, whichever worker answers the write and the read", async () => {
        for (let round = 0; round < 20; round++) {
          const todo = await create(`round ${round}`);
          for (let read = 0; read < 3; read++) {
            const page = JSON.parse((await get("/todo")).body) as Page;
            expect(page.data[0]?.id, `round ${round}, read ${read}`).toBe(todo.id);
          }
          const finished = await fetch(`${cluster!.url}/todo/${todo.id}/finish`, {
            method: "PUT",
            headers: auth,
          });
          expect(finished.status).toBe(200);
          expect((JSON.parse((await get("/todo")).body) as Page).data[0]!.is_finished).toBe(true);
          expect(
            (await fetch(`${cluster!.url}/todo/${todo.id}`, { method: "DELETE", headers: auth })).status,
          ).toBe(204);
          expect((JSON.parse((await get("/todo")).body) as Page).data.map((t) => t.id)).not.toContain(
            todo.id,
          );
        }
      });

      it("`npm run seed` while the server runs refreshes the cached page too: the next read shows the seed", async () => {
        await get("/todo");
        expect((await get("/todo")).cache).toBe("hit");
        expect(seed(["--count", "50", "--reset"])).toMatch(/cache: first page refreshed/);
        const after = await get("/todo");
        expect(after.cache).toBe("hit");
        const seeded = (JSON.parse(after.body) as Page).data;
        expect(seeded).toHaveLength(10);
        expect(seeded.every((t) => t.content.startsWith("seeded todo"))).toBe(true);
      });

      it("keeps answering while Redis is down (bypass, healthz degraded), then uses the cache again", async () => {
        if (!redis!.kill || !redis!.start) return; // a user-given REDIS_URL cannot be killed
        await redis!.kill();
        const noticed = Date.now() + 5_000;
        while ((await fetch(`${cluster!.url}/healthz?require=redis`)).status !== 503) {
          expect(Date.now(), "healthz?require=redis never answered 503").toBeLessThan(noticed);
          await new Promise((r) => setTimeout(r, 20));
        }
        // both workers must have noticed: every answer is a bypass, none an error
        await new Promise((r) => setTimeout(r, 200));
        const during = await Promise.all(Array.from({ length: 50 }, () => get("/todo")));
        expect(during.map((a) => `${a.status} ${a.cache}`)).toEqual(Array(50).fill("200 bypass"));
        const health = await fetch(`${cluster!.url}/healthz`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: "degraded" });
        const written = await create("written while Redis was down");

        await redis!.start();
        const deadline = Date.now() + 10_000;
        let hits = 0;
        while (hits < 10 && Date.now() < deadline) {
          const answer = await get("/todo");
          expect(answer.status).toBe(200);
          expect((JSON.parse(answer.body) as Page).data[0]!.id).toBe(written.id);
          hits = answer.cache === "hit" ? hits + 1 : 0;
          await new Promise((r) => setTimeout(r, 20));
        }
        expect(hits).toBe(10);
        expect((await fetch(`${cluster!.url}/healthz?require=redis`)).status).toBe(200);
      });

      it("SIGTERM while Redis hangs (connected, answering nothing): every request answered, exit 0 within seconds", async () => {
        if (!redis!.pause || !redis!.resume) return; // a user-given REDIS_URL cannot be frozen
        expect((await get("/todo")).cache).toBe("hit");
        redis!.pause();
        try {
          // each waits for Redis until its deadline, then goes to the store; the Redis commands stay unanswered
          const written = await create("written while Redis hung");
          const read = await get("/todo");
          expect(`${read.status} ${read.cache}`).toBe("200 bypass");
          expect((JSON.parse(read.body) as Page).data[0]!.id).toBe(written.id);
          const started = performance.now();
          const stopping = cluster!;
          cluster = undefined;
          // the drain gives up after 10 s and exits 1: the Redis clients must not wait that long to close
          expect(await stopping.stop()).toBe(0);
          expect(performance.now() - started).toBeLessThan(8_000);
        } finally {
          redis!.resume();
        }
      });
    },
  );
}
