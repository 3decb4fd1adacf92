export interface Todo {
  id: string;
  content: string;
  /** epoch seconds, as the article's `time()` */
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
}

/** The position of a todo in the newest-first order: where the next page starts. */
export interface Cursor {
  created_at: number;
  id: string;
}

/**
 * Where todos live. Two adapters implement it — SQLite (embedded, the default) and MongoDB
 * (the article's database, when MONGO_URL is set) — and the routes never know which one they have.
 */
export interface TodoStore {
  /** Printed in the start-up line and /healthz. */
  readonly kind: "sqlite" | "mongo";
  /** Offset paging, newest first; ties on created_at break on id (descending). */
  list(page: { start: number; limit: number }): Promise<Todo[]>;
  /**
   * Keyset paging: the todos just after `cursor` (null: the first page). With the index this
   * costs the same at any depth, where an offset makes the database walk past every skipped row.
   */
  listBefore(cursor: Cursor | null, limit: number): Promise<Todo[]>;
  /** How many todos there are: an export reports the rows it has written against this. */
  count(): Promise<number>;
  /** A malformed id is simply not found: undefined, never a throw. */
  get(id: string): Promise<Todo | undefined>;
  add(content: string): Promise<Todo>;
  /** Idempotent: keeps the first finished_at. */
  finish(id: string): Promise<Todo | undefined>;
  remove(id: string): Promise<boolean>;
  /** Throws when the database cannot be reached (/healthz answers 503). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What `npm run seed` needs besides the API: bulk writes that never run on the request path. */
export interface Seedable {
  countSeeded(): Promise<number>;
  /** Removes the seeded todos, or every todo with `all`. */
  clear(which: "seeded" | "all"): Promise<void>;
  insertSeeded(todos: Iterable<SeedTodo>, onProgress: (done: number) => void): Promise<void>;
}

export type SeedTodo = Omit<Todo, "id">;

/** The database is down or too busy: the API answers 503 instead of 500. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

export const now = () => Date.now() / 1000;
