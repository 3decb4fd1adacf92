import { form, startTestRedis } from "@zero-to-one/test-kit";
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { afterWrite, type WriteMode } from "./first-page-cache.js";
import type { Todo } from "./todo-shape.js";
import type { TodoStoreLike } from "./todo-store.js";

type Page = { data: Todo[] };

/** A real store that counts the page queries that reach it. */
export interface CountingStore<Store extends TodoStoreLike> {
  pageQueries: number;
  store: Store;
}

/** One cluster worker in a test: its own app, its own L1 and its own Redis connections. */
export interface CacheWorker {
  firstPage: { redisState(): "up" | "down"; whenUp(timeoutMs: number): Promise<boolean> };
  request: (path: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

export interface CachedFirstPageOptions<Store extends TodoStoreLike> {
  /** A fresh, empty store that counts its page queries. */
  countingStore: () => CountingStore<Store>;
  /** The stage's app with its first-page cache on `redisUrl`; workers with one namespace share it. */
  startWorker: (
    store: Store,
    options: { redisUrl: string; namespace: string; onWrite?: WriteMode },
  ) => Promise<CacheWorker>;
}

/**
 * GET /todo's first page through the stage's app and cache, two workers over one store and one
 * real Redis: hits, what is cached, invalidation by every write, stampedes, and a Redis outage.
 * Await it at the top of a test file: it starts a throwaway Redis (or logs one `skipped:` line).
 */
export async function describeCachedFirstPage<Store extends TodoStoreLike>(
  label: string,
  { countingStore, startWorker }: CachedFirstPageOptions<Store>,
) {
  const started = await startTestRedis();
  if (started.skipped) console.log(`skipped: ${started.skipped}`);
  const redis = started.redis;
  afterAll(() => redis?.stop());

  describe.skipIf(!redis)(
    `${label}: GET /todo's first page, cached in front of the store (real Redis)`,
    () => {
      let counted: CountingStore<Store>;
      let a: CacheWorker;
      let b: CacheWorker;

      beforeEach(async () => {
        counted = countingStore();
        for (let i = 1; i <= 15; i++) await counted.store.add(`todo ${i}`);
        const namespace = `test:${randomUUID()}`;
        a = await startWorker(counted.store, { redisUrl: redis!.url, namespace });
        b = await startWorker(counted.store, { redisUrl: redis!.url, namespace });
      });
      afterEach(async () => {
        await Promise.all([a.close(), b.close()]);
        await counted.store.close();
      });

      const firstPage = async (worker: CacheWorker) => {
        const res = await worker.request("/todo");
        expect(res.status).toBe(200);
        return { cache: res.headers.get("x-cache"), page: (await res.json()) as Page };
      };

      it("answers a miss, then hits with the very same bytes, from both workers, after one store query", async () => {
        const miss = await a.request("/todo");
        expect(miss.headers.get("x-cache")).toBe("miss");
        expect(miss.headers.get("content-type")).toMatch(/^application\/json/);
        const bytes = await miss.text();
        const page = JSON.parse(bytes) as Page;
        expect(page.data).toEqual(await counted.store.list({ start: 0, limit: 10 }));
        counted.pageQueries = 1; // the line above was the test's own query
        for (const worker of [a, a, b, b]) {
          const hit = await worker.request("/todo");
          expect(hit.headers.get("x-cache")).toBe("hit");
          expect(hit.headers.get("content-type")).toMatch(/^application\/json/);
          expect(await hit.text()).toBe(bytes);
        }
        expect(counted.pageQueries).toBe(1);
      });

      it("caches only the first page: no start (or 0), the default limit; every other page reads the store", async () => {
        await a.request("/todo");
        for (const path of [
          "/todo",
          "/todo?start=0",
          "/todo?limit=10",
          "/todo?start=0&limit=10",
          "/todo?x=1",
        ]) {
          const res = await a.request(path);
          expect(res.headers.get("x-cache"), path).toBe("hit");
        }
        expect(counted.pageQueries).toBe(1);
        for (const path of [
          "/todo?limit=9",
          "/todo?limit=11",
          "/todo?start=1",
          "/todo?start=10",
          "/todo?limit=100",
        ]) {
          const before = counted.pageQueries;
          const res = await a.request(path);
          expect(res.status, path).toBe(200);
          expect(res.headers.get("x-cache"), path).toBeNull();
          expect(counted.pageQueries, path).toBe(before + 1);
        }
        const page = (await (await a.request("/todo?start=10")).json()) as Page;
        expect(page.data).toHaveLength(5);
        expect(page.data).toEqual(await counted.store.list({ start: 10, limit: 10 }));
        const bad = await a.request("/todo?start=-1");
        expect(bad.status).toBe(400);
        expect(bad.headers.get("x-cache")).toBeNull();
      });

      it.each(["invalidate", "refresh"] as const)(
        "every write invalidates: the writer reads it back at once, through either worker (%s)",
        async (onWrite) => {
          const namespace = `test:${randomUUID()}`;
          const a = await startWorker(counted.store, { redisUrl: redis!.url, namespace, onWrite });
          const b = await startWorker(counted.store, { redisUrl: redis!.url, namespace, onWrite });
          try {
            const original = (await firstPage(a)).page;
            await firstPage(b);
            await firstPage(b); // b now holds the page in its own memory (L1)

            const created = await a.request("/todo", form("written on a"));
            expect(created.status).toBe(201);
            const todo = (await created.json()) as Todo;
            const afterCreate = await firstPage(a);
            expect(afterCreate.cache).toBe(afterWrite[onWrite]);
            expect(afterCreate.page.data[0]).toEqual(todo);
            expect((await firstPage(b)).page.data[0]).toEqual(todo);

            const finished = await b.request(`/todo/${todo.id}/finish`, { method: "PUT" });
            expect(finished.status).toBe(200);
            const afterFinish = await firstPage(b);
            expect(afterFinish.cache).toBe(afterWrite[onWrite]);
            expect(afterFinish.page.data[0]).toEqual(await finished.json());
            expect((await firstPage(a)).page.data[0]!.is_finished).toBe(true);

            const deleted = await a.request(`/todo/${todo.id}`, { method: "DELETE" });
            expect(deleted.status).toBe(204);
            const afterDelete = await firstPage(a);
            expect(afterDelete.cache).toBe(afterWrite[onWrite]);
            expect(afterDelete.page.data.map((t) => t.id)).not.toContain(todo.id);
            expect((await firstPage(b)).page).toEqual(original);
          } finally {
            await Promise.all([a.close(), b.close()]);
          }
        },
      );

      it("GET /healthz shows the answering worker's own cache counters", async () => {
        await a.request("/todo"); // a reads the store
        await b.request("/todo"); // b finds the page in Redis
        const counters = async (worker: CacheWorker) =>
          (
            (await (await worker.request("/healthz")).json()) as {
              cache: { firstPage: object; notFound: object };
            }
          ).cache;
        expect((await counters(a)).firstPage).toMatchObject({ storeReads: 1, misses: 1 });
        expect((await counters(b)).firstPage).toMatchObject({ storeReads: 0, l2Hits: 1 });
        expect((await counters(a)).notFound).toMatchObject({ storeReads: 0 });
      });

      it("a request that changes nothing (400, 404) leaves the cached page alone", async () => {
        await firstPage(a);
        expect((await a.request("/todo", form("   "))).status).toBe(400);
        expect((await a.request("/todo/nope/finish", { method: "PUT" })).status).toBe(404);
        expect((await a.request("/todo/nope", { method: "DELETE" })).status).toBe(404);
        expect((await firstPage(a)).cache).toBe("hit");
        expect(counted.pageQueries).toBe(1);
      });

      it("200 concurrent requests for a cold first page on two workers make exactly one store query", async () => {
        const responses = await Promise.all(
          Array.from({ length: 200 }, (_, i) => (i % 2 ? a : b).request("/todo")),
        );
        expect(responses.every((res) => res.status === 200)).toBe(true);
        const bodies = new Set(await Promise.all(responses.map((res) => res.text())));
        expect(bodies.size).toBe(1);
        expect(counted.pageQueries).toBe(1);
        const misses = responses.filter((res) => res.headers.get("x-cache") === "miss");
        expect(misses).toHaveLength(1);
      });

      it("with Redis killed mid-test it keeps answering 200 from the store, then recovers by itself", async () => {
        if (!redis!.kill || !redis!.start) return; // a user-given REDIS_URL cannot be killed
        await firstPage(a);
        expect((await firstPage(a)).cache).toBe("hit");

        await redis!.kill();
        // each worker notices the lost connection by itself, within moments
        for (const worker of [a, b]) {
          const deadline = Date.now() + 2_000;
          while (worker.firstPage.redisState() === "up" && Date.now() < deadline)
            await new Promise((r) => setTimeout(r, 5));
        }
        const during = await Promise.all(
          Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).request("/todo")),
        );
        expect(during.map((res) => `${res.status} ${res.headers.get("x-cache")}`)).toEqual(
          Array(40).fill("200 bypass"),
        );
        // writes still work, and the writer still reads its own write
        const created = (await (
          await b.request("/todo", form("written while Redis was down"))
        ).json()) as Todo;
        expect((await firstPage(a)).page.data[0]).toEqual(created);

        const health = await a.request("/healthz");
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({
          status: "degraded",
          checks: { redis: expect.stringMatching(/^down/) },
        });
        expect((await a.request("/healthz?require=redis")).status).toBe(503);

        await redis!.start();
        expect(await a.firstPage.whenUp(5_000)).toBe(true);
        expect(await b.firstPage.whenUp(5_000)).toBe(true);
        const back = await firstPage(a);
        expect(back.cache).toBe("miss");
        expect(back.page.data[0]).toEqual(created);
        expect((await firstPage(b)).cache).toBe("hit");
        const healthy = await a.request("/healthz?require=redis");
        expect(healthy.status).toBe(200);
        expect(await healthy.json()).toMatchObject({ status: "ok", checks: { redis: "ok" } });
      }, 20_000);
    },
  );
}
