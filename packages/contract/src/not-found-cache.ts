import { form, startTestRedis } from "@zero-to-one/test-kit";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Todo } from "./todo-shape.js";
import type { TodoStoreLike } from "./todo-store.js";

/** The settings of stage 06's createNotFoundCache that the suite sets. */
export interface NotFoundCacheSettings {
  redisUrl: string;
  namespace?: string;
  ttlMs?: number;
  protection?: "on" | "off";
}

/** Stage 06's not-found cache, described by shape only, so this package depends on no stage. */
export interface NotFoundCacheLike {
  get(id: string, load: (id: string) => Promise<Todo | undefined>): Promise<Todo | undefined>;
  close(): Promise<void>;
  readonly stats: { storeReads: number; remembered: number; malformed: number };
}

/** One cluster worker in a test: its own app and caches; workers started with one namespace share Redis. */
export interface NotFoundWorker {
  request: (path: string, init?: RequestInit) => Promise<Response>;
  close: () => Promise<void>;
}

export interface NotFoundCacheOptions<Store extends TodoStoreLike> {
  createNotFoundCache: (settings: NotFoundCacheSettings) => NotFoundCacheLike;
  /** A fresh, empty store that counts its lookups by id (`get`). */
  countingStore: () => { idQueries: number; store: Store };
  /** The stage's app with its caches on `redisUrl`. */
  startWorker: (store: Store, options: { redisUrl: string; namespace: string }) => Promise<NotFoundWorker>;
}

/** A todo as the store would have it, made the way the stores make ids. */
const todo = (id: string): Todo => ({
  id,
  content: "here",
  created_at: 1,
  is_finished: false,
  finished_at: null,
});

/**
 * Penetration: stage 06's cure for requests of todos that do not exist. A well-formed unknown id
 * costs the store one query while it is remembered; an id no store could have made costs none; a
 * todo created, finished or deleted is read back right at once. Against a real Redis.
 * Await it at the top of a test file: it starts a throwaway Redis (or logs one `skipped:` line).
 */
export async function describeNotFoundCache<Store extends TodoStoreLike>(
  label: string,
  { createNotFoundCache, countingStore, startWorker }: NotFoundCacheOptions<Store>,
) {
  const started = await startTestRedis();
  if (started.skipped) console.log(`skipped: ${started.skipped}`);
  const redis = started.redis;
  afterAll(() => redis?.stop());

  describe.skipIf(!redis)(`${label}: ids that are not there, remembered briefly (real Redis)`, () => {
    const caches: NotFoundCacheLike[] = [];
    afterEach(async () => {
      await Promise.all(caches.splice(0).map((cache) => cache.close()));
    });
    const cache = async (settings: Omit<NotFoundCacheSettings, "redisUrl"> = {}) => {
      const made = createNotFoundCache({
        redisUrl: redis!.url,
        namespace: `test:${randomUUID()}`,
        ...settings,
      });
      caches.push(made);
      // connected once a lookup that reaches Redis remembers what it was told
      const probe = randomUUID();
      const deadline = Date.now() + 5_000;
      while (made.stats.remembered === 0 && Date.now() < deadline) {
        await made.get(probe, async () => undefined);
        await sleep(10);
      }
      expect(made.stats.remembered, "Redis did not answer within 5 s").toBeGreaterThan(0);
      made.stats.storeReads = made.stats.remembered = 0;
      return made;
    };
    /** What the store holds, counting the lookups that reach it. */
    const store = (...ids: string[]) => {
      const held = new Map(ids.map((id) => [id, todo(id)]));
      const counted = { reads: 0, held, load: async (id: string) => (counted.reads++, held.get(id)) };
      return counted;
    };

    it("asks the store once for many lookups of the same unknown id within the TTL, then again after it", async () => {
      const missing = await cache({ ttlMs: 300 });
      const src = store();
      const id = randomUUID();
      for (let i = 0; i < 20; i++) expect(await missing.get(id, src.load)).toBeUndefined();
      expect(src.reads).toBe(1);
      expect(missing.stats).toMatchObject({ storeReads: 1, remembered: 19 });
      await sleep(400);
      expect(await missing.get(id, src.load)).toBeUndefined();
      expect(src.reads).toBe(2);
    });

    it("never asks the store about an id no store could have made", async () => {
      const missing = await cache();
      const src = store();
      const malformed = ["nope", "1", "", "../todo", `${randomUUID()}x`, "z".repeat(24), "0".repeat(25)];
      for (const id of malformed) expect(await missing.get(id, src.load), id).toBeUndefined();
      expect(src.reads).toBe(0);
      expect(missing.stats.malformed).toBe(malformed.length);
      // both shapes our stores make do reach it: a UUID (SQLite) and an ObjectId (MongoDB)
      await missing.get(randomUUID(), src.load);
      await missing.get("65a1f0c2e4b0a1b2c3d4e5f6", src.load);
      expect(src.reads).toBe(2);
    });

    it("never caches a todo that was found: each lookup reads the store", async () => {
      const missing = await cache();
      const id = randomUUID();
      const src = store(id);
      for (let i = 0; i < 3; i++) expect(await missing.get(id, src.load)).toEqual(todo(id));
      expect(src.reads).toBe(3);
    });

    it("without protection (CACHE_PROTECTION=off) every lookup reads the store, malformed or not", async () => {
      const missing = createNotFoundCache({ redisUrl: redis!.url, protection: "off" });
      caches.push(missing);
      const src = store();
      const id = randomUUID();
      for (let i = 0; i < 5; i++) await missing.get(id, src.load);
      await missing.get("nope", src.load);
      expect(src.reads).toBe(6);
      expect(missing.stats).toMatchObject({ storeReads: 6, remembered: 0, malformed: 0 });
    });

    it("with Redis unreachable every lookup asks the store, and answers right", async () => {
      const missing = createNotFoundCache({ redisUrl: "redis://127.0.0.1:1" });
      caches.push(missing);
      const id = randomUUID();
      const src = store(id);
      const unknown = randomUUID();
      expect(await missing.get(unknown, src.load)).toBeUndefined();
      expect(await missing.get(unknown, src.load)).toBeUndefined();
      expect(await missing.get(id, src.load)).toEqual(todo(id));
      expect(src.reads).toBe(3);
    });
  });

  describe.skipIf(!redis)(`${label}: GET /todo/:id through two workers' caches (real Redis)`, () => {
    let counted: { idQueries: number; store: Store };
    let a: NotFoundWorker;
    let b: NotFoundWorker;
    beforeEach(async () => {
      counted = countingStore();
      const namespace = `test:${randomUUID()}`;
      a = await startWorker(counted.store, { redisUrl: redis!.url, namespace });
      b = await startWorker(counted.store, { redisUrl: redis!.url, namespace });
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
      await counted.store.close();
    });

    it("answers 404 to an unknown id through either worker, after one store query", async () => {
      const id = randomUUID();
      for (let i = 0; i < 10; i++) {
        const res = await (i % 2 ? a : b).request(`/todo/${id}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { status: 404 } });
      }
      expect(counted.idQueries).toBe(1);
    });

    it("answers 404 to a malformed id without a store query", async () => {
      for (const id of ["nope", "123", "%20", "x".repeat(200)]) {
        expect((await a.request(`/todo/${id}`)).status, id).toBe(404);
      }
      expect(counted.idQueries).toBe(0);
    });

    it("reads a created, finished and deleted todo back right at once, through either worker", async () => {
      const created = await a.request("/todo", form("new"));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as Todo;
      expect(await (await b.request(`/todo/${id}`)).json()).toMatchObject({ id, is_finished: false });
      expect((await a.request(`/todo/${id}/finish`, { method: "PUT" })).status).toBe(200);
      expect(await (await b.request(`/todo/${id}`)).json()).toMatchObject({ id, is_finished: true });
      expect((await b.request(`/todo/${id}`, { method: "DELETE" })).status).toBe(204);
      const queries = counted.idQueries;
      for (const worker of [a, b, a]) expect((await worker.request(`/todo/${id}`)).status).toBe(404);
      expect(counted.idQueries).toBe(queries + 1); // the delete is the truth now, remembered like any
    });
  });
}
