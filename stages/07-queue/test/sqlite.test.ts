import Database from "better-sqlite3";
import { expectError, inProcess } from "@zero-to-one/contract";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqlitePlans, sqliteQueries } from "../src/query-plans.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const dir = mkdtempSync(join(tmpdir(), "zto-07-sqlite-"));
afterAll(async () => {
  await closeCachedApps();
  rmSync(dir, { recursive: true, force: true });
});

describe("the SQLite store", () => {
  it("creates DB_PATH's folder when it is missing and writes in WAL mode", async () => {
    const path = join(dir, "a", "b", "todo.db");
    const store = createSqliteStore(path);
    await store.add("on disk");
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.prepare("SELECT content FROM todos").all()).toEqual([{ content: "on disk" }]);
    db.close();
  });

  it("creates the newest-first index, idempotently: the first page walks it instead of sorting", async () => {
    const path = join(dir, "plan.db");
    await createSqliteStore(path).close();
    const store = createSqliteStore(path); // a second start must not fail on the existing index
    await store.insertSeeded(seededTodos(2_000, 1_700_000_000), () => {});
    await store.close();
    const db = new Database(path, { readonly: true });
    const { withoutIndex, withIndex } = sqlitePlans(db);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'todos'")
      .all();
    db.close();
    expect(indexes).toContainEqual({ name: "todos_newest_first" });
    expect(withoutIndex).toContain("USE TEMP B-TREE FOR ORDER BY");
    expect(withIndex).toEqual(["SCAN todos USING INDEX todos_newest_first"]);
  });

  it("pages by cursor with a range on the index, never a sort", async () => {
    const path = join(dir, "cursor-plan.db");
    await createSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const plan = db
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sqliteQueries.byCursor.replace(/\?/g, "0")}`)
      .all()
      .map((row) => row.detail);
    db.close();
    expect(plan.join("\n")).toMatch(/SEARCH todos USING INDEX todos_newest_first \(/);
    expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
  });

  it("answers 503, not 500, when another process holds the write lock too long", async () => {
    const path = join(dir, "busy.db");
    const store = createSqliteStore(path, { busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec("BEGIN IMMEDIATE");
    try {
      const res = await inProcess(await cachedApp(store, redisUrl)).request("/todo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ content: "blocked" }),
      });
      await expectError(res, 503, /busy/);
      expect(res.headers.get("retry-after")).toBe("1");
    } finally {
      other.exec("ROLLBACK");
      other.close();
      await store.close();
    }
  });

  it("answers /healthz with 503 once the database is gone", async () => {
    const store = createSqliteStore(":memory:");
    const app = await cachedApp(store, redisUrl);
    expect((await app.request("/healthz")).status).toBe(200);
    await store.close();
    const res = await app.request("/healthz");
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      status: "unavailable",
      checks: { sqlite: expect.stringMatching(/^down/) },
    });
  });

  it("seeds in one transaction, newest first with distinct created_at", async () => {
    const store = createSqliteStore(":memory:");
    const progress: number[] = [];
    await store.insertSeeded(seededTodos(25_000, 1_700_000_000), (done) => progress.push(done));
    expect(progress).toEqual([10_000, 20_000, 25_000]);
    expect(await store.countSeeded()).toBe(25_000);
    const [first, second] = await store.list({ start: 0, limit: 2 });
    expect(first).toMatchObject({ content: "seeded todo 25000 of 25000", created_at: 1_700_000_000 });
    expect(second!.created_at).toBe(1_699_999_999);
    await store.close();
  });
});
