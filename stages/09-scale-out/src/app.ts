import { jsonError, notFound, onError } from "@zero-to-one/server-kit";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { every } from "hono/combine";
import { hostname } from "node:os";
import { accountRoutes } from "./account-routes.js";
import { createAccounts } from "./accounts.js";
import { requireUser, type AuthEnv } from "./auth.js";
import { clientAddress } from "./client-address.js";
import { encodeCursor } from "./cursor.js";
import type { FirstPageCache } from "./first-page-cache.js";
import { exportRoutes, type ExportDeps } from "./export-routes.js";
import { DEFAULT_LIMIT, readContent, readPage, type PageRequest } from "./input.js";
import type { NotFoundCache } from "./not-found-cache.js";
import { QueueUnavailableError } from "./queue.js";
import type { RateLimits } from "./rate-limit.js";
import { SessionsUnavailableError, type Sessions } from "./sessions.js";
import { StoreUnavailableError, type Owner, type TodoStore, type UserStore } from "./store.js";
import { webPage } from "./web-page.js";

export const MAX_BODY_BYTES = 16 * 1024;

/** One row more than asked tells whether another page exists; `next` is where it starts. */
async function listPage(store: TodoStore, owner: Owner, page: PageRequest) {
  const rows =
    "before" in page
      ? await store.listBefore(owner, page.before, page.limit + 1)
      : await store.list(owner, { start: page.start, limit: page.limit + 1 });
  const data = rows.slice(0, page.limit);
  return { data, next: rows.length > page.limit ? encodeCursor(data.at(-1)!) : null };
}

/** One owner's first page exactly as GET /todo sends it: what the cache stores and every hit answers. */
export const renderFirstPage = async (store: TodoStore, owner: Owner) =>
  JSON.stringify(await listPage(store, owner, { start: 0, limit: DEFAULT_LIMIT }));

/** `/todo`, `?start=0`, `?limit=10` ask for the first page; any other page (or a cursor) reads the store. */
const isFirstPage = (page: PageRequest) =>
  "start" in page && page.start === 0 && page.limit === DEFAULT_LIMIT;

export function createApp({
  store,
  sessions,
  exports,
  firstPage,
  notFoundCache,
  hostName = hostname(),
  trustedProxies = new Set(["127.0.0.1"]),
  origin,
  rateLimits,
  csrf,
}: {
  /** The todos and, in the same database, the accounts they belong to. */
  store: TodoStore & UserStore;
  /** Who is signed in (sessions.ts): one Redis that every worker and host shares. */
  sessions: Sessions;
  /** The long task: the queue it goes on, the folder its results land in (see export-routes.ts). */
  exports: Omit<ExportDeps, "store">;
  /** The cached first pages (first-page-cache.ts), one per user, built from the store by `renderFirstPage`. */
  firstPage: FirstPageCache;
  /** The ids the store did not have for a user, remembered for a moment (not-found-cache.ts). */
  notFoundCache: NotFoundCache;
  /** Which host this is (HOST_NAME): /healthz says so, as X-Served-By does on every response. */
  hostName?: string;
  /** Addresses whose X-Forwarded-For and X-Forwarded-Proto headers are believed (nginx in front). */
  trustedProxies?: ReadonlySet<string>;
  /** PUBLIC_ORIGIN when set: where browsers reach us, whose scheme decides the session cookie's Secure flag. */
  origin?: string;
  /** Holds back floods (rate-limit.ts): per user once signed in, per address and username on the way in. */
  rateLimits?: RateLimits;
  /** Refuses writes that another site made a browser send with its cookie (csrf.ts): runs before every route. */
  csrf?: MiddlewareHandler<AuthEnv>;
}) {
  const app = new Hono<AuthEnv>();
  if (csrf) app.use(csrf);

  // public: the baseline, the health check, the page, and the way in
  app.get("/index", (c) => c.json({ msg: "hello world" }));
  app.route("/", webPage());

  app.get("/healthz", async (c) => {
    // which worker answered (requests spread over the cluster) and who asked (through nginx or not)
    const seen = {
      host: hostName,
      worker: { pid: process.pid },
      // this worker's counters: how often its caches went to the store, e.g. to rebuild the first
      // page (what npm run bench:stampede reads); cheaper than a log line per rebuild under load
      cache: { firstPage: firstPage.stats, notFound: notFoundCache.stats },
      client:
        clientAddress(
          c.env?.incoming?.socket.remoteAddress,
          c.req.header("x-forwarded-for"),
          trustedProxies,
        ) ?? null,
    };
    // Redis down only slows the first page down (bypass): "degraded", not 503 — unless the caller
    // needs the cache, e.g. before a benchmark: /healthz?require=redis
    const redis = firstPage.redisState() === "up" ? "ok" : "down: serving from the store (X-Cache: bypass)";
    // the session store down stops every signed-in route (503) but not the process: "degraded" too,
    // since taking this worker out of a load balancer would not bring the sessions back
    const sessionStore = await sessions.ping().then(
      () => "ok",
      () => "down: no one can sign in or be recognised (503 on every signed-in route)",
    );
    try {
      await store.ping();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return c.json(
        {
          status: "unavailable",
          checks: { [store.kind]: `down: ${reason}`, redis, sessions: sessionStore },
          ...seen,
        },
        503,
      );
    }
    const checks = { [store.kind]: "ok", redis, sessions: sessionStore };
    if (redis === "ok" && sessionStore === "ok") return c.json({ status: "ok", checks, ...seen });
    return c.json({ status: "degraded", checks, ...seen }, c.req.query("require") === "redis" ? 503 : 200);
  });

  // who is asking, then whether they have asked too often (a bucket per user)
  const signedIn = rateLimits ? every(requireUser(sessions), rateLimits.api) : requireUser(sessions);
  app.route(
    "/",
    accountRoutes({
      accounts: createAccounts(store),
      sessions,
      signedIn,
      trustedProxies,
      origin,
      attempts: rateLimits,
    }),
  );

  // everything below answers a signed-in caller only, with the caller's own todos and jobs: the
  // owner comes from the session, never from the request
  app.use("/todo/*", signedIn);
  app.use("/jobs/*", signedIn);

  app.get("/todo", async (c) => {
    const owner = c.get("user").id;
    const page = readPage(c);
    if (!isFirstPage(page)) return c.json(await listPage(store, owner, page));
    const { body, cache } = await firstPage.read(owner);
    // a Response with a plain header object goes to the socket as it is; c.body() with two
    // headers would first build a Headers object, which costs more than the cache hit itself
    return new Response(body, { headers: { "Content-Type": "application/json", "X-Cache": cache } });
  });

  app.post(
    "/todo",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`),
    }),
    async (c) => {
      const owner = c.get("user").id;
      const todo = await store.add(owner, await readContent(c));
      // every write invalidates (the writer's own page) before it is acknowledged, so the writer
      // never reads it back stale
      await firstPage.invalidate(owner);
      return c.json(todo, 201, { Location: `/todo/${todo.id}` });
    },
  );

  // another user's todo is a 404, exactly like one that never existed: not a 403 that would
  // confirm the id is real
  app.get("/todo/:id", async (c) => {
    const owner = c.get("user").id;
    const todo = await notFoundCache.get(owner, c.req.param("id"), (id) => store.get(owner, id));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.put("/todo/:id/finish", async (c) => {
    const owner = c.get("user").id;
    const todo = await store.finish(owner, c.req.param("id"));
    if (!todo) return unknownTodo(c);
    await firstPage.invalidate(owner);
    return c.json(todo);
  });

  app.delete("/todo/:id", async (c) => {
    const owner = c.get("user").id;
    if (!(await store.remove(owner, c.req.param("id")))) return unknownTodo(c);
    await firstPage.invalidate(owner);
    return c.body(null, 204);
  });

  app.route("/", exportRoutes({ store, ...exports }));

  app.notFound(notFound(app));
  app.onError((error, c) =>
    error instanceof StoreUnavailableError
      ? jsonError(c, 503, `the database is unavailable, try again shortly (${error.message})`, {
          "Retry-After": "1",
        })
      : error instanceof QueueUnavailableError
        ? jsonError(c, 503, "the job queue (Redis) is unavailable; try again in a moment", {
            "Retry-After": "1",
          })
        : error instanceof SessionsUnavailableError
          ? jsonError(
              c,
              503,
              "sign-in is unavailable: the session store (Redis) cannot be reached; try again shortly",
              {
                "Retry-After": "1",
              },
            )
          : onError(error, c),
  );
  return app;
}

const unknownTodo = (c: Parameters<typeof jsonError>[0]) =>
  jsonError(c, 404, `no todo with id ${JSON.stringify(c.req.param("id"))}`);
