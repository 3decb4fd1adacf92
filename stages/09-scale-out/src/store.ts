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
 *
 * Every todo belongs to the account that created it, and every method takes that account's id
 * (`owner`) first: a todo of another owner is exactly as absent as one that never existed. The
 * owner is part of every query, so no route can forget to check it.
 */
export interface TodoStore {
  /** Printed in the start-up line and /healthz. */
  readonly kind: "sqlite" | "mongo";
  /** Offset paging, newest first; ties on created_at break on id (descending). */
  list(owner: Owner, page: { start: number; limit: number }): Promise<Todo[]>;
  /**
   * Keyset paging: the todos just after `cursor` (null: the first page). With the index this
   * costs the same at any depth, where an offset makes the database walk past every skipped row.
   */
  listBefore(owner: Owner, cursor: Cursor | null, limit: number): Promise<Todo[]>;
  /** How many todos the owner has: an export reports the rows it has written against this. */
  count(owner: Owner): Promise<number>;
  /** A malformed id, or another owner's todo, is simply not found: undefined, never a throw. */
  get(owner: Owner, id: string): Promise<Todo | undefined>;
  add(owner: Owner, content: string): Promise<Todo>;
  /** Idempotent: keeps the first finished_at. */
  finish(owner: Owner, id: string): Promise<Todo | undefined>;
  remove(owner: Owner, id: string): Promise<boolean>;
  /** Throws when the database cannot be reached (/healthz answers 503). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The id of the account a todo belongs to. */
export type Owner = string;

/** An account as the API shows it. */
export interface User {
  id: string;
  username: string;
  /** epoch seconds */
  created_at: number;
}

/** An account as the store keeps it: with its password hash (null: no one can log in as it). */
export interface Account extends User {
  password_hash: string | null;
}

/** The accounts, in the same database as their todos. Usernames are unique. */
export interface UserStore {
  /** The new account, or undefined when the username is taken. */
  addUser(username: string, passwordHash: string | null): Promise<User | undefined>;
  /** The account with its password hash: for logging in, never for an answer. */
  findAccount(username: string): Promise<Account | undefined>;
  getUser(id: string): Promise<User | undefined>;
  /** False when there is no such account. */
  setPasswordHash(id: string, passwordHash: string): Promise<boolean>;
}

/** What `npm run seed` needs besides the API: bulk writes that never run on the request path. */
export interface Seedable {
  countSeeded(owner: Owner): Promise<number>;
  /** Removes the owner's seeded todos, or every todo of the owner with `all`. */
  clear(owner: Owner, which: "seeded" | "all"): Promise<void>;
  insertSeeded(owner: Owner, todos: Iterable<SeedTodo>, onProgress: (done: number) => void): Promise<void>;
}

export type SeedTodo = Omit<Todo, "id">;

/** The database is down or too busy: the API answers 503 instead of 500. */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

export const now = () => Date.now() / 1000;
