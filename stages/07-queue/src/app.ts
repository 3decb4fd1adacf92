// PROVISIONAL: replaced by the copy of the newest committed stage's app, plus the export routes.
import { notFound, onError } from "@zero-to-one/server-kit";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { exportRoutes, type ExportDeps } from "./export-routes.js";

export function createApp(deps: ExportDeps) {
  const app = new Hono();
  app.use(secureHeaders());
  app.get("/index", (c) => c.json({ msg: "hello world" }));
  app.get("/healthz", (c) => c.json({ status: "ok", checks: { store: "ok" } }));
  app.get("/todo", async (c) => c.json({ data: await deps.store.list({ start: 0, limit: 10 }) }));
  app.route("/", exportRoutes(deps));
  app.notFound(notFound(app));
  app.onError(onError);
  return app;
}
