import { jsonError, notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { IncomingMessage } from "node:http";
import { clientAddress } from "./client-address.js";
import { encodeCursor } from "./cursor.js";
import { readContent, readPage } from "./input.js";
import { StoreUnavailableError, type TodoStore } from "./store.js";

export const MAX_BODY_BYTES = 16 * 1024;

export function createApp({
  store,
  trustedProxies = new Set(["127.0.0.1"]),
}: {
  store: TodoStore;
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
      client:
        clientAddress(
          c.env?.incoming?.socket.remoteAddress,
          c.req.header("x-forwarded-for"),
          trustedProxies,
        ) ?? null,
    };
    try {
      await store.ping();
      return c.json({ status: "ok", checks: { [store.kind]: "ok" }, ...seen });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return c.json({ status: "unavailable", checks: { [store.kind]: `down: ${reason}` }, ...seen }, 503);
    }
  });

  // One row more than asked tells whether another page exists; `next` is where it starts.
  app.get("/todo", async (c) => {
    const page = readPage(c);
    const rows =
      "before" in page
        ? await store.listBefore(page.before, page.limit + 1)
        : await store.list({ start: page.start, limit: page.limit + 1 });
    const data = rows.slice(0, page.limit);
    return c.json({ data, next: rows.length > page.limit ? encodeCursor(data.at(-1)!) : null });
  });

  app.post(
    "/todo",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`),
    }),
    async (c) => {
      const todo = await store.add(await readContent(c));
      return c.json(todo, 201, { Location: `/todo/${todo.id}` });
    },
  );

  app.get("/todo/:id", async (c) => {
    const todo = await store.get(c.req.param("id"));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.put("/todo/:id/finish", async (c) => {
    const todo = await store.finish(c.req.param("id"));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.delete("/todo/:id", async (c) =>
    (await store.remove(c.req.param("id"))) ? c.body(null, 204) : unknownTodo(c),
  );

  app.notFound(notFound(app));
  app.onError((error, c) =>
    error instanceof StoreUnavailableError
      ? jsonError(c, 503, `the database is unavailable, try again shortly (${error.message})`, {
          "Retry-After": "1",
        })
      : onError(error, c),
  );
  return app;
}

const unknownTodo = (c: Parameters<typeof jsonError>[0]) =>
  jsonError(c, 404, `no todo with id ${JSON.stringify(c.req.param("id"))}`);
