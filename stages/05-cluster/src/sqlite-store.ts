import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  now,
  StoreUnavailableError,
  type Cursor,
  type Seedable,
  type Todo,
  type TodoStore,
} from "./store.js";

const COLUMNS = "id, content, created_at, is_finished, finished_at";

/**
 * A todo as the queries below return it: an array in COLUMNS order (raw mode, which better-sqlite3
 * builds faster than an object keyed by column names), with the boolean as 0/1.
 */
type Row = [id: string, content: string, created_at: number, is_finished: 0 | 1, finished_at: number | null];
const toTodo = ([id, content, created_at, is_finished, finished_at]: Row): Todo => ({
  id,
  content,
  created_at,
  is_finished: is_finished === 1,
  finished_at,
});

/**
 * Every worker opens the same file, and on a new file they race to switch it to WAL. SQLite answers
 * the loser SQLITE_BUSY at once, without waiting out busy_timeout (the switch starts inside a read,
 * where waiting could deadlock), so the loser tries again, a few milliseconds at a time.
 */
function switchToWal(db: Database.Database, busyTimeoutMs: number) {
  const giveUpAt = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code === "SQLITE_BUSY";
      if (!busy || Date.now() > giveUpAt) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // sleeps 10 ms: start-up is synchronous
    }
  }
}

/**
 * The embedded default: one file under `.data/`, no server to install. `:memory:` gives a
 * throwaway database (tests).
 */
export function createSqliteStore(path: string, { busyTimeoutMs = 5_000 } = {}): TodoStore & Seedable {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // WAL lets readers and one writer work at the same time; busy_timeout makes a writer wait
  // for another process's lock (stage 05 runs several) instead of failing at once.
  switchToWal(db, busyTimeoutMs);
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS todos (
      id          TEXT PRIMARY KEY,
      content     TEXT NOT NULL,
      created_at  REAL NOT NULL,
      is_finished INTEGER NOT NULL DEFAULT 0,
      finished_at REAL,
      seeded      INTEGER NOT NULL DEFAULT 0
    )`);
  // The step of this stage: the newest-first order, kept ready. A page becomes a short walk
  // down this index instead of a sort of the whole table. Idempotent, so safe at every start.
  db.exec("CREATE INDEX IF NOT EXISTS todos_newest_first ON todos (created_at DESC, id DESC)");

  // `LIMIT +?`, not `LIMIT ?`: SQLite reads a bare bound LIMIT while planning, so every new binding
  // (every request) would make it compile the statement again. The `+` keeps the value out of the
  // planner, and the plan is the same for any page size.
  const page = db
    .prepare<[number, number], Row>(
      `SELECT ${COLUMNS} FROM todos ORDER BY created_at DESC, id DESC LIMIT +? OFFSET ?`,
    )
    .raw();
  // (created_at, id) < (?, ?) is a row value: SQLite turns it into a range on the index
  const after = db
    .prepare<[number, string, number], Row>(
      `SELECT ${COLUMNS} FROM todos WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT +?`,
    )
    .raw();
  const byId = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM todos WHERE id = ?`).raw();
  const insert = db.prepare<[string, string, number, number, number | null, number]>(
    "INSERT INTO todos (id, content, created_at, is_finished, finished_at, seeded) VALUES (?, ?, ?, ?, ?, ?)",
  );
  // one statement, so two concurrent finishes cannot both set finished_at
  const finish = db
    .prepare<[number, string], Row>(
      `UPDATE todos SET is_finished = 1, finished_at = coalesce(finished_at, ?) WHERE id = ? RETURNING ${COLUMNS}`,
    )
    .raw();
  const remove = db.prepare<[string]>("DELETE FROM todos WHERE id = ?");

  return {
    kind: "sqlite",

    list: async ({ start, limit }) => guard(() => page.all(limit, start).map(toTodo)),

    listBefore: async (cursor: Cursor | null, limit) =>
      guard(() => (cursor ? after.all(cursor.created_at, cursor.id, limit) : page.all(limit, 0)).map(toTodo)),

    get: async (id) =>
      guard(() => {
        const row = byId.get(id);
        return row && toTodo(row);
      }),

    add: async (content) =>
      guard(() => {
        const todo: Todo = {
          id: randomUUID(),
          content,
          created_at: now(),
          is_finished: false,
          finished_at: null,
        };
        insert.run(todo.id, todo.content, todo.created_at, 0, null, 0);
        return todo;
      }),

    finish: async (id) =>
      guard(() => {
        const row = finish.get(now(), id);
        return row && toTodo(row);
      }),

    remove: async (id) => guard(() => remove.run(id).changes === 1),

    ping: async () => guard(() => void db.prepare("SELECT 1").get()),

    close: async () => void db.close(),

    countSeeded: async () =>
      db.prepare<[], { n: number }>("SELECT count(*) AS n FROM todos WHERE seeded = 1").get()!.n,

    clear: async (which) => void db.exec(`DELETE FROM todos${which === "seeded" ? " WHERE seeded = 1" : ""}`),

    // One transaction for the whole batch: a million rows take seconds, not the
    // minutes that a million separate commits (each one a disk sync) would.
    insertSeeded: async (todos, onProgress) => {
      db.pragma("cache_size = -262144"); // 256 MiB, so the id index stays in memory while it grows
      db.transaction(() => {
        let done = 0;
        for (const t of todos) {
          insert.run(randomUUID(), t.content, t.created_at, t.is_finished ? 1 : 0, t.finished_at, 1);
          if (++done % 10_000 === 0) onProgress(done);
        }
        onProgress(done);
      })();
    },
  };
}

/** Another process holding the write lock past busy_timeout is a 503, not a crash. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY")) {
      throw new StoreUnavailableError(`the database is busy: ${error.message}`);
    }
    throw error;
  }
}
