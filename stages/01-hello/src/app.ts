import { notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";

/** The whole first program: one route that answers with JSON. */
export function createApp() {
  const app = new Hono();

  app.get("/index", (c) => c.json({ msg: "hello world" }));

  app.notFound(notFound(app));
  app.onError(onError);
  return app;
}
