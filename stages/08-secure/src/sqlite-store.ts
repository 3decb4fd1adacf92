import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  now,
  StoreUnavailableError,
  type Account,
  type Cursor,
  type Seedable,
  type Todo,
  type TodoStore,
  type User,
  type UserStore,
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

type UserRow = [id: string, username: string, created_at: number];
const toUser = ([id, username, created_at]: UserRow): User => ({ id, username, created_at });

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
export function createSqliteStore(
  path: string,
  { busyTimeoutMs = 5_000 } = {},
): TodoStore & UserStore & Seedable {
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
      seeded      INTEGER NOT NULL DEFAULT 0,
      owner       TEXT
    )`);
  // A file from before accounts has no owner column: its todos get none, and no one sees them
  // (the chapter shows how to hand them to an account).
  const columns = db.pragma("table_info(todos)") as { name: string }[];
  if (!columns.some((column) => column.name === "owner")) {
    db.exec("ALTER TABLE todos ADD COLUMN owner TEXT");
  }
  // Every list is one owner's: the newest-first order per owner, kept ready. A page is a short walk
  // down the owner's part of this index; the index of stage 04 (no owner) would serve no query now.
  db.exec("CREATE INDEX IF NOT EXISTS todos_owner_newest_first ON todos (owner, created_at DESC, id DESC)");
  db.exec("DROP INDEX IF EXISTS todos_newest_first");
  // usernames arrive lower-cased (accounts.ts), so UNIQUE is unique whatever the letter case
  db.exec(`
    CREATE TABLE IF NOT EXISTS users (
      id            TEXT PRIMARY KEY,
      username      TEXT NOT NULL UNIQUE,
      password_hash TEXT,
      created_at    REAL NOT NULL
    )`);

  // `LIMIT +?`, not `LIMIT ?`: SQLite reads a bare bound LIMIT while planning, so every new binding
  // (every request) would make it compile the statement again. The `+` keeps the value out of the
  // planner, and the plan is the same for any page size.
  // Every statement names the owner, bound from the session, never from the request: the database
  // itself leaves other accounts' todos out, so no route has to remember to.
  const page = db
    .prepare<[string, number, number], Row>(
      `SELECT ${COLUMNS} FROM todos WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT +? OFFSET ?`,
    )
    .raw();
  // (created_at, id) < (?, ?) is a row value: SQLite turns it into a range on the owner's part of the index
  const after = db
    .prepare<[string, number, string, number], Row>(
      `SELECT ${COLUMNS} FROM todos WHERE owner = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT +?`,
    )
    .raw();
  const byId = db
    .prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM todos WHERE id = ? AND owner = ?`)
    .raw();
  const insert = db.prepare<[string, string, number, number, number | null, number, string]>(
    "INSERT INTO todos (id, content, created_at, is_finished, finished_at, seeded, owner) VALUES (?, ?, ?, ?, ?, ?, ?)",
  );
  // one statement, so two concurrent finishes cannot both set finished_at
  const finish = db
    .prepare<[number, string, string], Row>(
      `UPDATE todos SET is_finished = 1, finished_at = coalesce(finished_at, ?) WHERE id = ? AND owner = ? RETURNING ${COLUMNS}`,
    )
    .raw();
  const remove = db.prepare<[string, string]>("DELETE FROM todos WHERE id = ? AND owner = ?");
  const count = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM todos WHERE owner = ?");

  const insertUser = db.prepare<[string, string, string | null, number]>(
    "INSERT INTO users (id, username, password_hash, created_at) VALUES (?, ?, ?, ?)",
  );
  const userByName = db.prepare<[string], Account>(
    "SELECT id, username, created_at, password_hash FROM users WHERE username = ?",
  );
  const userById = db
    .prepare<[string], UserRow>("SELECT id, username, created_at FROM users WHERE id = ?")
    .raw();
  const setPassword = db.prepare<[string, string]>("UPDATE users SET password_hash = ? WHERE id = ?");

  return {
    kind: "sqlite",

    list: async (owner, { start, limit }) => guard(() => page.all(owner, limit, start).map(toTodo)),

    listBefore: async (owner, cursor: Cursor | null, limit) =>
      guard(() =>
        (cursor ? after.all(owner, cursor.created_at, cursor.id, limit) : page.all(owner, limit, 0)).map(
          toTodo,
        ),
      ),

    count: async (owner) => guard(() => count.get(owner)!.n),

    get: async (owner, id) =>
      guard(() => {
        const row = byId.get(id, owner);
        return row && toTodo(row);
      }),

    add: async (owner, content) =>
      guard(() => {
        const todo: Todo = {
          id: randomUUID(),
          content,
          created_at: now(),
          is_finished: false,
          finished_at: null,
        };
        insert.run(todo.id, todo.content, todo.created_at, 0, null, 0, owner);
        return todo;
      }),

    finish: async (owner, id) =>
      guard(() => {
        const row = finish.get(now(), id, owner);
        return row && toTodo(row);
      }),

    remove: async (owner, id) => guard(() => remove.run(id, owner).changes === 1),

    addUser: async (username, passwordHash) =>
      guard(() => {
        const user: User = { id: randomUUID(), username, created_at: now() };
        try {
          insertUser.run(user.id, username, passwordHash, user.created_at);
        } catch (error) {
          if (error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE")
            return undefined;
          throw error;
        }
        return user;
      }),

    findAccount: async (username) => guard(() => userByName.get(username)),

    getUser: async (id) =>
      guard(() => {
        const row = userById.get(id);
        return row && toUser(row);
      }),

    setPasswordHash: async (id, passwordHash) => guard(() => setPassword.run(passwordHash, id).changes === 1),

    ping: async () => guard(() => void db.prepare("SELECT 1").get()),

    close: async () => void db.close(),

    countSeeded: async (owner) =>
      db
        .prepare<[string], { n: number }>("SELECT count(*) AS n FROM todos WHERE owner = ? AND seeded = 1")
        .get(owner)!.n,

    clear: async (owner, which) =>
      void db
        .prepare(`DELETE FROM todos WHERE owner = ?${which === "seeded" ? " AND seeded = 1" : ""}`)
        .run(owner),

    // One transaction for the whole batch: a million rows take seconds, not the
    // minutes that a million separate commits (each one a disk sync) would.
    insertSeeded: async (owner, todos, onProgress) => {
      db.pragma("cache_size = -262144"); // 256 MiB, so the id index stays in memory while it grows
      db.transaction(() => {
        let done = 0;
        for (const t of todos) {
          insert.run(randomUUID(), t.content, t.created_at, t.is_finished ? 1 : 0, t.finished_at, 1, owner);
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
