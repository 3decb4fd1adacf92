import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "zto-09-owners-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const [alice, bob] = ["0f6c8a52-1d2b-4c47-9a0e-6b1f4d3e2a10", "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"];

describe("the SQLite store keeps owners apart", () => {
  it("on every method: another owner's todo is as absent as one that never existed", async () => {
    const store = createSqliteStore(":memory:");
    const hers = await store.add(alice, "alice's");
    await store.add(bob, "bob's");
    expect((await store.list(alice, { start: 0, limit: 10 })).map((t) => t.content)).toEqual(["alice's"]);
    expect((await store.listBefore(bob, null, 10)).map((t) => t.content)).toEqual(["bob's"]);
    expect(await store.count(alice)).toBe(1);
    expect(await store.get(bob, hers.id)).toBeUndefined();
    expect(await store.finish(bob, hers.id)).toBeUndefined();
    expect(await store.remove(bob, hers.id)).toBe(false);
    expect(await store.get(alice, hers.id)).toEqual(hers); // not finished, not removed
    await store.close();
  });

  it("seeds, counts and clears one owner's todos, leaving everyone else's", async () => {
    const store = createSqliteStore(":memory:");
    await store.insertSeeded(alice, seededTodos(30, 1_700_000_000), () => {});
    await store.insertSeeded(bob, seededTodos(5, 1_700_000_000), () => {});
    await store.add(alice, "made through the API");
    expect([await store.countSeeded(alice), await store.countSeeded(bob)]).toEqual([30, 5]);
    await store.clear(alice, "seeded");
    expect(await store.count(alice)).toBe(1);
    await store.clear(alice, "all");
    expect([await store.count(alice), await store.count(bob)]).toEqual([0, 5]);
    await store.close();
  });

  it("keeps usernames unique and a hash only for findAccount", async () => {
    const store = createSqliteStore(":memory:");
    const user = await store.addUser("alice", "$scrypt$hash");
    expect(user).toEqual({ id: expect.any(String), username: "alice", created_at: expect.any(Number) });
    expect(await store.addUser("alice", null)).toBeUndefined();
    expect(await store.getUser(user!.id)).toEqual(user);
    expect(await store.findAccount("alice")).toEqual({ ...user, password_hash: "$scrypt$hash" });
    expect(await store.setPasswordHash(user!.id, "$scrypt$new")).toBe(true);
    expect(await store.setPasswordHash("nobody", "$scrypt$new")).toBe(false);
    expect((await store.findAccount("alice"))?.password_hash).toBe("$scrypt$new");
    await store.close();
  });
});

describe("a database file from before accounts (stage 07)", () => {
  it("gets an owner column and the owner's index; its old todos are no one's until handed to an account", async () => {
    const path = join(dir, "from-07.db");
    const old = new Database(path);
    old.exec(`
      CREATE TABLE todos (id TEXT PRIMARY KEY, content TEXT NOT NULL, created_at REAL NOT NULL,
        is_finished INTEGER NOT NULL DEFAULT 0, finished_at REAL, seeded INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX todos_newest_first ON todos (created_at DESC, id DESC);
      INSERT INTO todos (id, content, created_at) VALUES ('t1', 'written in stage 07', 1700000000);`);
    old.close();

    const store = createSqliteStore(path);
    expect(await store.list(alice, { start: 0, limit: 10 })).toEqual([]);
    expect(await store.get(alice, "t1")).toBeUndefined();
    await store.close();
    const db = new Database(path);
    const indexes = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'todos'")
      .all();
    expect(indexes).toContainEqual({ name: "todos_owner_newest_first" });
    expect(indexes).not.toContainEqual({ name: "todos_newest_first" });
    // the chapter's one statement that hands them to an account
    db.prepare("UPDATE todos SET owner = ? WHERE owner IS NULL").run(alice);
    db.close();

    const reopened = createSqliteStore(path);
    expect((await reopened.get(alice, "t1"))?.content).toBe("written in stage 07");
    await reopened.close();
  });
});
