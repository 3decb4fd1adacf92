import { Hono } from "hono";

/** Hono with one route and nothing else: no error handlers, no middleware. */
export function bareHono() {
  const app = new Hono();
  app.get("/index", (c) => c.json({ msg: "hello world" }));
  return app;
}
