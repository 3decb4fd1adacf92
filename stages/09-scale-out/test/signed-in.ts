import { randomUUID } from "node:crypto";
import { afterAll } from "vitest";
import { createSessions, type SessionUser } from "../src/sessions.js";
import type { Cursor, Owner, SeedTodo, Seedable, TodoStore } from "../src/store.js";
import { sessionRedis } from "./cluster.js";

/** Sessions for the apps tests run in-process, on the tests' session Redis. */
export const sessions = createSessions({ redisUrl: sessionRedis.REDIS_URL, ttlSeconds: 3600 });
afterAll(() => sessions.close());

/** Someone to be: an account id that owns what a test writes, and a name. */
export const someone = (name = "someone"): SessionUser => ({ id: randomUUID(), username: name });

interface AppLike {
  request: (path: string, init?: RequestInit) => Response | Promise<Response>;
}

/**
 * An in-process app as `user` uses it: every request carries a bearer token of a session of theirs
 * (made on the first request), unless it brings its own Authorization header.
 */
export function asUser<App extends AppLike>(app: App, user: SessionUser) {
  let token: Promise<string> | undefined;
  return {
    request: async (path: string, init?: RequestInit) => {
      const headers = new Headers(init?.headers);
      if (!headers.has("authorization"))
        headers.set("authorization", `Bearer ${await (token ??= sessions.create(user))}`);
      return app.request(path, { ...init, headers });
    },
  };
}

/**
 * One owner's view of a store in the TodoStore shape of the stages before (no owner argument): what
 * the shared suites, written for those stages, call. `store` and `owner` say whose view it is.
 */
export function ownedBy<Store extends TodoStore & Partial<Seedable>>(store: Store, owner: Owner) {
  return {
    store,
    owner,
    kind: store.kind,
    list: (page: { start: number; limit: number }) => store.list(owner, page),
    listBefore: (cursor: Cursor | null, limit: number) => store.listBefore(owner, cursor, limit),
    count: () => store.count(owner),
    get: (id: string) => store.get(owner, id),
    add: (content: string) => store.add(owner, content),
    finish: (id: string) => store.finish(owner, id),
    remove: (id: string) => store.remove(owner, id),
    ping: () => store.ping(),
    close: () => store.close(),
    countSeeded: () => store.countSeeded!(owner),
    clear: (which: "seeded" | "all") => store.clear!(owner, which),
    insertSeeded: (todos: Iterable<SeedTodo>, onProgress: (done: number) => void) =>
      store.insertSeeded!(owner, todos, onProgress),
  };
}

export type OwnedStore<Store extends TodoStore & Partial<Seedable>> = ReturnType<typeof ownedBy<Store>>;
