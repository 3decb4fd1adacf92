import type { Todo } from "@zero-to-one/contract";
import { form, freshDbPath } from "@zero-to-one/test-kit";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createRedisClient } from "../src/redis-client.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { Owner, TodoStore, UserStore } from "../src/store.js";
import { redisUrl, withRedis } from "./cluster.js";
import { sessions, someone } from "./signed-in.js";
import { anyone } from "./workers.js";

type Page = { data: Todo[] };
type Worker = Awaited<ReturnType<typeof anyone.startWorker>>;

/**
 * The article's cache served one page to everyone; it says itself that it does not handle many users.
 * From this stage on every user has a first page of their own, in every level of the cache.
 */
await withRedis("09-scale-out: a first page per user", () => {
  describe("the caches keep users apart (two workers, two users, real Redis)", () => {
    const alice = someone("alice");
    const bob = someone("bob");
    let store: TodoStore & UserStore;
    /** The lookups by id that reached the store, per owner. */
    let idQueries: Map<Owner, number>;
    let namespace: string;
    let one: Worker;
    let two: Worker;
    const tokens = new Map<string, string>();

    beforeEach(async () => {
      const real = createSqliteStore(freshDbPath("zto-09-per-user-"));
      idQueries = new Map();
      store = {
        ...real,
        get: (owner, id) => {
          idQueries.set(owner, (idQueries.get(owner) ?? 0) + 1);
          return real.get(owner, id);
        },
      };
      for (let i = 0; i < 3; i++) await store.add(alice.id, `alice's ${i}`);
      for (let i = 0; i < 3; i++) await store.add(bob.id, `bob's ${i}`);
      namespace = `test:${randomUUID()}`;
      one = await anyone.startWorker(store, { redisUrl: redisUrl!, namespace });
      two = await anyone.startWorker(store, { redisUrl: redisUrl!, namespace });
      for (const user of [alice, bob]) tokens.set(user.id, await sessions.create(user));
    });
    afterEach(async () => {
      await Promise.all([one.close(), two.close()]);
      await store.close();
    });

    const as = (user: { id: string }, worker: Worker, path: string, init: RequestInit = {}) =>
      worker.request(path, {
        ...init,
        headers: { ...(init.headers as object), authorization: `Bearer ${tokens.get(user.id)}` },
      });
    const firstPage = async (user: { id: string }, worker: Worker) => {
      const res = await as(user, worker, "/todo");
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      // in order of content: todos added within one millisecond tie on created_at, then go by id
      return { cache: res.headers.get("x-cache"), contents: page.data.map((t) => t.content).sort() };
    };

    it("bob never reads alice's cached page: his first read is a miss, and his own", async () => {
      expect(await firstPage(alice, one)).toEqual({
        cache: "miss",
        contents: ["alice's 0", "alice's 1", "alice's 2"],
      });
      expect((await firstPage(alice, two)).cache).toBe("hit");
      expect(await firstPage(bob, two)).toEqual({
        cache: "miss",
        contents: ["bob's 0", "bob's 1", "bob's 2"],
      });
      expect(await firstPage(bob, one)).toEqual({
        cache: "hit",
        contents: ["bob's 0", "bob's 1", "bob's 2"],
      });
    });

    it("keeps each user's page under keys of its own in Redis", async () => {
      await firstPage(alice, one);
      await firstPage(bob, one);
      const redis = createRedisClient(redisUrl!);
      await redis.connect();
      try {
        const pageOf = async (user: { id: string }) =>
          (JSON.parse((await redis.hGet(`${namespace}:${user.id}:page`, "body"))!) as Page).data
            .map((t) => t.content)
            .sort();
        expect(await pageOf(alice)).toEqual(["alice's 0", "alice's 1", "alice's 2"]);
        expect(await pageOf(bob)).toEqual(["bob's 0", "bob's 1", "bob's 2"]);
        expect(await redis.exists(`${namespace}:page`)).toBe(0); // no page shared by everyone
      } finally {
        await redis.close();
      }
    });

    it("alice's writes never show in bob's page, and leave his cached page in place", async () => {
      await firstPage(bob, one);
      await firstPage(bob, two); // in both workers' memory now
      const created = await as(alice, one, "/todo", form("alice's new one"));
      expect(created.status).toBe(201);
      const todo = (await created.json()) as Todo;
      for (const worker of [one, two]) {
        expect(await firstPage(bob, worker)).toEqual({
          cache: "hit",
          contents: ["bob's 0", "bob's 1", "bob's 2"],
        });
        expect((await firstPage(alice, worker)).contents).toContain("alice's new one");
      }
      expect((await as(alice, two, `/todo/${todo.id}/finish`, { method: "PUT" })).status).toBe(200);
      expect((await as(alice, one, `/todo/${todo.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await firstPage(alice, two)).contents).not.toContain("alice's new one");
      expect(await firstPage(bob, two)).toEqual({
        cache: "hit",
        contents: ["bob's 0", "bob's 1", "bob's 2"],
      });
    });

    it("remembers a todo as missing for the user who asked, never for its owner", async () => {
      const [bobs] = await store.listBefore(bob.id, null, 1);
      for (const worker of [one, two, one])
        expect((await as(alice, worker, `/todo/${bobs!.id}`)).status).toBe(404);
      expect(idQueries.get(alice.id)).toBe(1); // asked the store once, then remembered for alice
      for (const worker of [one, two]) {
        const res = await as(bob, worker, `/todo/${bobs!.id}`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as Todo).id).toBe(bobs!.id);
      }
    });
  });

  describe("a cache with more users than it tracks", () => {
    it("forgets the least recently used users' state, and still answers each user with their own page", async () => {
      const pages = new Map([...Array(5).keys()].map((i) => [`user-${i}`, `page of user-${i}`]));
      const cache = createFirstPageCache({
        redisUrl: redisUrl!,
        namespace: `test:${randomUUID()}`,
        maxOwners: 2,
        load: async (owner) => pages.get(owner)!,
        log: () => {},
      });
      try {
        expect(await cache.whenUp(5_000)).toBe(true);
        for (let round = 0; round < 2; round++) {
          for (const [owner, page] of pages) expect((await cache.read(owner)).body).toBe(page);
        }
        expect(cache.stats.misses).toBe(5); // the second round found every page in Redis
        pages.set("user-0", "user-0's page after a write");
        await cache.invalidate("user-0");
        expect((await cache.read("user-0")).body).toBe("user-0's page after a write");
        expect((await cache.read("user-1")).body).toBe("page of user-1");
      } finally {
        await cache.close();
      }
    });
  });
});
