import { jsonError, notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readContent } from "./input.js";
import type { TodoList } from "./todos.js";

export const MAX_BODY_BYTES = 16 * 1024;

export function createApp({ todos }: { todos: TodoList }) {
  const app = new Hono();

  app.get("/index", (c) => c.json({ msg: "hello world" }));

  app.get("/healthz", (c) => c.json({ status: "ok", checks: { store: "ok" } }));

  // Each todo is an object inside the list, not a JSON string inside JSON as in the article.
  app.get("/todo", (c) => c.json({ data: todos.all() }));

  app.post(
    "/todo",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`),
    }),
    async (c) => {
      const todo = todos.add(await readContent(c));
      // 201 with the new todo and where to find it, rather than an empty 200
      return c.json(todo, 201, { Location: `/todo/${todo.id}` });
    },
  );

  app.get("/todo/:id", (c) => {
    const todo = todos.get(c.req.param("id"));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.put("/todo/:id/finish", (c) => {
    const todo = todos.finish(c.req.param("id"));
    return todo ? c.json(todo) : unknownTodo(c);
  });

  app.delete("/todo/:id", (c) => (todos.remove(c.req.param("id")) ? c.body(null, 204) : unknownTodo(c)));

  app.notFound(notFound(app));
  app.onError(onError);
  return app;
}

const unknownTodo = (c: Parameters<typeof jsonError>[0]) =>
  jsonError(c, 404, `no todo with id ${JSON.stringify(c.req.param("id"))}`);
