import { jsonError, notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { encodeCursor } from "./cursor.js";
import { readContent, readPage } from "./input.js";
import { StoreUnavailableError, type TodoStore } from "./store.js";

export const MAX_BODY_BYTES = 16 * 1024;

export function createApp({ store }: { store: TodoStore }) {
  const app = new Hono();

  app.get("/index", (c) => c.json({ msg: "hello world" }));

  app.get("/healthz", async (c) => {
    try {
      await store.ping();
      return c.json({ status: "ok", checks: { [store.kind]: "ok" } });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return c.json({ status: "unavailable", checks: { [store.kind]: `down: ${reason}` } }, 503);
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
