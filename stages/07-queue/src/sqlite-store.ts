// PROVISIONAL: replaced by the copy of the newest committed stage's store.
import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Cursor, Todo, TodoStore } from "./store.js";

interface Row {
  id: string;
  content: string;
  created_at: number;
  is_finished: number;
  finished_at: number | null;
}
const toTodo = (r: Row): Todo => ({ ...r, is_finished: r.is_finished === 1 });

export function openSqliteStore(path: string): TodoStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`CREATE TABLE IF NOT EXISTS todos (id TEXT PRIMARY KEY, content TEXT NOT NULL,
    created_at REAL NOT NULL, is_finished INTEGER NOT NULL DEFAULT 0, finished_at REAL);
    CREATE INDEX IF NOT EXISTS todos_newest ON todos (created_at DESC, id DESC);`);
  const first = db.prepare("SELECT * FROM todos ORDER BY created_at DESC, id DESC LIMIT ?");
  const before = db.prepare(
    "SELECT * FROM todos WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?",
  );
  return {
    kind: "sqlite",
    list: async ({ start, limit }) =>
      (
        db
          .prepare("SELECT * FROM todos ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
          .all(limit, start) as Row[]
      ).map(toTodo),
    listBefore: async (cursor: Cursor | null, limit: number) =>
      ((cursor ? before.all(cursor.created_at, cursor.id, limit) : first.all(limit)) as Row[]).map(toTodo),
    get: async (id) => {
      const row = db.prepare("SELECT * FROM todos WHERE id = ?").get(id) as Row | undefined;
      return row && toTodo(row);
    },
    add: async (content) => {
      const todo: Todo = {
        id: randomUUID(),
        content,
        created_at: Date.now() / 1000,
        is_finished: false,
        finished_at: null,
      };
      db.prepare("INSERT INTO todos VALUES (?, ?, ?, 0, NULL)").run(todo.id, todo.content, todo.created_at);
      return todo;
    },
    finish: async () => undefined,
    remove: async (id) => db.prepare("DELETE FROM todos WHERE id = ?").run(id).changes > 0,
    count: async () => (db.prepare("SELECT count(*) AS n FROM todos").get() as { n: number }).n,
    ping: async () => undefined,
    close: async () => void db.close(),
  };
}
