import { startTestRedis, type TestRedis } from "@zero-to-one/test-kit";
import Database from "better-sqlite3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { routeReads } from "../src/read-routing.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { TodoStore } from "../src/store.js";

/**
 * The read/write split on two SQLite files: the "replica" is a second store that gets the primary's
 * rows only when a test copies them over by hand, so replication lag is whatever the test makes it.
 */
const [alice, bob] = ["alice-id", "bob-id"];
const WINDOW_MS = 300;

function twoStores() {
  const dir = mkdtempSync(join(tmpdir(), "zto-09-routing-"));
  const paths = { primary: join(dir, "primary.db"), replica: join(dir, "replica.db") };
  const primary = createSqliteStore(paths.primary);
  const replica = createSqliteStore(paths.replica);
  /** Replication catching up: every row of the primary copied into the replica. */
  const replicate = () => {
    const db = new Database(paths.replica);
    db.exec(`ATTACH '${paths.primary}' AS p; INSERT OR REPLACE INTO todos SELECT * FROM p.todos;`);
    db.close();
  };
  return { primary, replica, replicate };
}

const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

function routed(redisUrl: string, replica?: TodoStore) {
  const stores = twoStores();
  const log: string[] = [];
  const store = routeReads({
    primary: stores.primary,
    replica: replica ?? stores.replica,
    redisUrl,
    windowMs: WINDOW_MS,
    namespace: `zto:test-wrote:${Math.random()}`,
    log: (line) => log.push(line),
  });
  open.push(store);
  return { ...stores, store, log };
}

/**
 * Until `store` reaches Redis it sends every read to the primary; it does reach it once a read of
 * someone who never wrote finds what only the replica has.
 */
async function untilConnected(store: TodoStore, replica: TodoStore) {
  const probe = await replica.add("probe-id", "only on the replica");
  const deadline = Date.now() + 10_000;
  while ((await store.get("probe-id", probe.id)) === undefined) {
    if (Date.now() > deadline) throw new Error("the routed store did not reach Redis");
    await sleep(20);
  }
}

const ids = (todos: { id: string }[]) => todos.map((t) => t.id);

const probe = await startTestRedis();
if (probe.skipped) console.log(`skipped: read routing with Redis: ${probe.skipped}`);

describe.skipIf(probe.skipped)(
  "09-scale-out: reads to the replica, a writer's own reads to the primary",
  () => {
    let redis: TestRedis;
    beforeAll(() => void (redis = probe.redis!));
    afterAll(() => probe.redis?.stop());

    it("writes go to the primary only", async () => {
      const { store, primary, replica } = routed(redis.url);
      await untilConnected(store, replica);
      const todo = await store.add(alice, "to the primary");
      expect(await primary.get(alice, todo.id)).toEqual(todo);
      expect(await replica.get(alice, todo.id)).toBeUndefined();
      await store.finish(alice, todo.id);
      expect((await primary.get(alice, todo.id))?.is_finished).toBe(true);
    });

    it("the writer reads its write back at once, though the replica has not caught up", async () => {
      const { store, replica } = routed(redis.url);
      await untilConnected(store, replica);
      const todo = await store.add(alice, "mine");
      expect(await store.get(alice, todo.id)).toEqual(todo);
      expect(ids(await store.list(alice, { start: 0, limit: 10 }))).toEqual([todo.id]);
      expect(ids(await store.listBefore(alice, null, 10))).toEqual([todo.id]);
      expect(await store.count(alice)).toBe(1);
    });

    it("after the window the writer's reads go to the replica, and see what it has copied", async () => {
      const { store, replica, replicate } = routed(redis.url);
      await untilConnected(store, replica);
      const todo = await store.add(alice, "lagging");
      await sleep(WINDOW_MS + 100);
      // the replica is behind: a read from it does not have the todo yet
      expect(await store.get(alice, todo.id)).toBeUndefined();
      expect(await store.count(alice)).toBe(0);
      replicate();
      expect(await store.get(alice, todo.id)).toEqual(todo);
      expect(ids(await store.list(alice, { start: 0, limit: 10 }))).toEqual([todo.id]);
    });

    it("someone else's write leaves another user's reads on the replica", async () => {
      const { store, replica } = routed(redis.url);
      await untilConnected(store, replica);
      // a todo of bob's that only the replica has: found only if bob's reads go there
      const onlyOnReplica = await replica.add(bob, "bob's, on the replica");
      await store.add(alice, "alice writes");
      expect(ids(await store.list(bob, { start: 0, limit: 10 }))).toEqual([onlyOnReplica.id]);
      expect(await store.get(bob, onlyOnReplica.id)).toEqual(onlyOnReplica);
    });

    it("every API host knows of a user's write: the mark is in Redis, not in the host that took it", async () => {
      const { primary, replica } = twoStores();
      const namespace = `zto:test-wrote:${Math.random()}`;
      const [hostA, hostB] = [1, 2].map(() =>
        routeReads({ primary, replica, redisUrl: redis.url, windowMs: WINDOW_MS, namespace, log: () => {} }),
      );
      open.push(hostA!, hostB!);
      for (const host of [hostA!, hostB!]) await untilConnected(host, replica);
      const todo = await hostA!.add(alice, "written through host A");
      expect(await hostB!.get(alice, todo.id)).toEqual(todo);
      expect(ids(await hostB!.listBefore(alice, null, 10))).toEqual([todo.id]);
    });

    it("with the replica down, reads are served by the primary, and the log says so once", async () => {
      const down = createSqliteStore(":memory:");
      await down.close(); // every call now throws
      const { store, primary, log } = routed(redis.url, down);
      const old = await primary.add(alice, "already there");
      // once the store reaches Redis it tries the replica, which fails: from then on, every read is
      // answered all the same, and one line says why
      const deadline = Date.now() + 10_000;
      while (log.length === 0 && Date.now() < deadline) {
        expect(await store.get(alice, old.id)).toEqual(old);
        await sleep(20);
      }
      for (let i = 0; i < 5; i++) expect(await store.get(alice, old.id)).toEqual(old);
      expect(ids(await store.list(alice, { start: 0, limit: 10 }))).toEqual([old.id]);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(/^read store unreachable \(.+\): reads go to the primary until it answers$/);
    });
  },
);

describe("09-scale-out: reads when Redis cannot say who wrote", () => {
  it("sends every read to the primary: correct before fast", async () => {
    const { store, primary, replica } = routed("redis://127.0.0.1:1");
    const todo = await primary.add(alice, "only on the primary");
    await replica.add(alice, "only on the replica");
    expect(ids(await store.list(alice, { start: 0, limit: 10 }))).toEqual([todo.id]);
    expect(await store.get(alice, todo.id)).toEqual(todo);
    // and a write still succeeds, though its mark cannot be kept in Redis
    const written = await store.add(alice, "written while Redis is away");
    expect(await store.get(alice, written.id)).toEqual(written);
  });
});
