import { jsonError, notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "./client-address.js";
import { encodeCursor } from "./cursor.js";
import type { FirstPageCache } from "./first-page-cache.js";
import { exportRoutes, type ExportDeps } from "./export-routes.js";
import { DEFAULT_LIMIT, readContent, readPage, type PageRequest } from "./input.js";
import type { NotFoundCache } from "./not-found-cache.js";
import { QueueUnavailableError } from "./queue.js";
import { StoreUnavailableError, type TodoStore } from "./store.js";

export const MAX_BODY_BYTES = 16 * 1024;

/** One row more than asked tells whether another page exists; `next` is where it starts. */
async function listPage(store: TodoStore, page: PageRequest) {
  const rows =
    "before" in page
      ? await store.listBefore(page.before, page.limit + 1)
      : await store.list({ start: page.start, limit: page.limit + 1 });
  const data = rows.slice(0, page.limit);
  return { data, next: rows.length > page.limit ? encodeCursor(data.at(-1)!) : null };
}

/** The first page exactly as GET /todo sends it: what the cache stores and every hit answers. */
export const renderFirstPage = async (store: TodoStore) =>
  JSON.stringify(await listPage(store, { start: 0, limit: DEFAULT_LIMIT }));

/** `/todo`, `?start=0`, `?limit=10` ask for the first page; any other page (or a cursor) reads the store. */
const isFirstPage = (page: PageRequest) =>
  "start" in page && page.start === 0 && page.limit === DEFAULT_LIMIT;

export function createApp({
  store,
  exports,
  firstPage,
  notFoundCache,
  trustedProxies = new Set(["127.0.0.1"]),
}: {
  store: TodoStore;
  /** The long task: the queue it goes on, the folder its results land in (see export-routes.ts). */
  exports: Omit<ExportDeps, "store">;
  /** The cached first page (first-page-cache.ts), built from the store by `renderFirstPage`. */
  firstPage: FirstPageCache;
  /** The ids the store did not have, remembered for a moment (not-found-cache.ts). */
  notFoundCache: NotFoundCache;
  /** Addresses whose X-Forwarded-For header is believed (nginx in front). */
  trustedProxies?: ReadonlySet<string>;
}) {
  // under @hono/node-server, c.env.incoming is the Node request (absent when tested in-process)
  const app = new Hono<{ Bindings: { incoming?: IncomingMessage } }>();

  app.get("/index", (c) => c.json({ msg: "hello world" }));

  app.get("/healthz", async (c) => {
    // which worker answered (requests spread over the cluster) and who asked (through nginx or not)
    const seen = {
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
    try {
      await store.ping();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return c.json(
        { status: "unavailable", checks: { [store.kind]: `down: ${reason}`, redis }, ...seen },
        503,
      );
    }
    const checks = { [store.kind]: "ok", redis };
    if (redis === "ok") return c.json({ status: "ok", checks, ...seen });
    return c.json({ status: "degraded", checks, ...seen }, c.req.query("require") === "redis" ? 503 : 200);
  });

  app.get("/todo", async (c) => {
    const page = readPage(c);
    if (!isFirstPage(page)) return c.json(await listPage(store, page));
    const { body, cache } = await firstPage.read();
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
      const todo = await store.add(await readContent(c));
      // every write invalidates before it is acknowledged, so the writer never reads it back stale
      await firstPage.invalidate();
      return c.json(todo, 201, { Location: `/todo/${todo.id}` });
    },
  );

  app.get("/todo/:id", async (c) => {
    const todo = await notFoundCache.get(c.req.param("id"), (id) => store.get(id));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.put("/todo/:id/finish", async (c) => {
    const todo = await store.finish(c.req.param("id"));
    if (!todo) return unknownTodo(c);
    await firstPage.invalidate();
    return c.json(todo);
  });

  app.delete("/todo/:id", async (c) => {
    if (!(await store.remove(c.req.param("id")))) return unknownTodo(c);
    await firstPage.invalidate();
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
        : onError(error, c),
  );
  return app;
}

const unknownTodo = (c: Parameters<typeof jsonError>[0]) =>
  jsonError(c, 404, `no todo with id ${JSON.stringify(c.req.param("id"))}`);
