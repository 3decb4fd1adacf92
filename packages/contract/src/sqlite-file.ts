import Database from "better-sqlite3";
import { exitCode } from "@zero-to-one/test-kit";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { inProcess } from "./client.js";
import { expectError } from "./todo-shape.js";
import type { TodoStoreLike } from "./todo-store.js";

const betterSqlite3 = createRequire(import.meta.url).resolve("better-sqlite3");
/** Another process that opens DB, writes its first transaction and holds it HOLD_MS before committing. */
const holdWriteLock = `
  const db = new (require(process.env.BETTER_SQLITE3))(process.env.DB);
  db.exec("BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS first (a)");
  process.stdout.write("holding\\n");
  setTimeout(() => db.exec("COMMIT"), Number(process.env.HOLD_MS));
`;

/** The SQLite store of stages 03+, with what `npm run seed` needs. */
export interface SqliteStoreLike extends TodoStoreLike {
  insertSeeded(todos: Iterable<unknown>, onProgress: (done: number) => void): Promise<void>;
  countSeeded(): Promise<number>;
}

/** The stage's query-plans.ts (04+): how SQLite answers the first page and a page after a cursor. */
export interface SqlitePlans {
  sqlitePlans: (db: Database.Database) => { withoutIndex: string[]; withIndex: string[] };
  /** The statement behind `?before=`, with `?` placeholders. */
  byCursor: string;
}

export type SqliteFileOptions<Store extends SqliteStoreLike> = (
  | { level: 3 }
  /** 4 — the newest-first index, checked through the stage's own query plans. */
  | { level: 4; queryPlans: SqlitePlans }
) & {
  /** The stage's createSqliteStore. */
  open: (path: string, options?: { busyTimeoutMs?: number }) => Store;
  /** The stage's seededTodos: `count` todos one second apart, the newest created at `newest`. */
  seededTodos: (count: number, newest: number) => Iterable<unknown>;
  /** The stage's app over a store, as its in-process tests build it. */
  app: (store: Store) => Promise<Parameters<typeof inProcess>[0]> | Parameters<typeof inProcess>[0];
  /** What GET /healthz says while the database is up: "degraded" for 06+ running without Redis. */
  health?: "ok" | "degraded";
  /** Runs after the suite, e.g. closing the apps' cache connections. */
  closeApps?: () => Promise<void>;
  /** 05+: one process per core opens the same file, a new one included. */
  sharedByProcesses?: boolean;
};

/**
 * The SQLite adapter on a real file: where it writes and how, its index (level 4), the 503s a busy
 * or closed database gives through the app, and seeding in one transaction.
 */
export function describeSqliteFile<Store extends SqliteStoreLike>(
  label: string,
  options: SqliteFileOptions<Store>,
) {
  const { open, seededTodos, app, health = "ok", closeApps } = options;
  const dir = mkdtempSync(join(tmpdir(), "zto-sqlite-"));
  afterAll(async () => {
    await closeApps?.();
    rmSync(dir, { recursive: true, force: true });
  });

  describe(`${label}: the SQLite store on a file`, () => {
    it("creates DB_PATH's folder when it is missing and writes in WAL mode", async () => {
      const path = join(dir, "a", "b", "todo.db");
      const store = open(path);
      await store.add("on disk");
      await store.close();
      const db = new Database(path, { readonly: true });
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(db.prepare("SELECT content FROM todos").all()).toEqual([{ content: "on disk" }]);
      db.close();
    });

    if (options.level === 4) {
      const { sqlitePlans, byCursor } = options.queryPlans;

      it("creates the newest-first index, idempotently: the first page walks it instead of sorting", async () => {
        const path = join(dir, "plan.db");
        await open(path).close();
        const store = open(path); // a second start must not fail on the existing index
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
        await open(path).close();
        const db = new Database(path, { readonly: true });
        const plan = db
          .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${byCursor.replace(/\?/g, "0")}`)
          .all()
          .map((row) => row.detail);
        db.close();
        expect(plan.join("\n")).toMatch(/SEARCH todos USING INDEX todos_newest_first \(/);
        expect(plan.join("\n")).not.toMatch(/TEMP B-TREE/);
      });
    }

    if (options.sharedByProcesses) {
      it("opens a new file while another process is writing its first transaction, in WAL mode", async () => {
        // Two workers starting at once: one is creating the tables when the other asks for WAL,
        // which SQLite refuses at once instead of waiting out busy_timeout.
        const path = join(dir, "shared", "todo.db");
        mkdirSync(dirname(path));
        const other = spawn(process.execPath, ["-e", holdWriteLock], {
          env: { ...process.env, BETTER_SQLITE3: betterSqlite3, DB: path, HOLD_MS: "300" },
          stdio: ["ignore", "pipe", "inherit"],
        });
        await once(other.stdout, "data"); // it holds the lock
        const started = performance.now();
        const store = open(path);
        expect(performance.now() - started).toBeGreaterThan(200); // it waited for the other's commit
        await store.add("after the wait");
        await store.close();
        expect(await exitCode(other, 5_000)).toBe(0);
        const db = new Database(path, { readonly: true });
        expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
        db.close();
      });
    }

    it("answers 503, not 500, when another process holds the write lock too long", async () => {
      const path = join(dir, "busy.db");
      const store = open(path, { busyTimeoutMs: 50 });
      const other = new Database(path);
      other.exec("BEGIN IMMEDIATE");
      try {
        const res = await inProcess(await app(store)).request("/todo", {
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
      const store = open(":memory:");
      const api = inProcess(await app(store));
      const up = await api.request("/healthz");
      expect(up.status).toBe(200);
      expect(await up.json()).toMatchObject({ status: health });
      await store.close();
      const res = await api.request("/healthz");
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({
        status: "unavailable",
        checks: { sqlite: expect.stringMatching(/^down/) },
      });
    });

    it("seeds in one transaction, newest first with distinct created_at", async () => {
      const store = open(":memory:");
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
}
