/**
 * Stage 01's stack (Hono + server-kit) answering PAGE_FILE — the very bytes stage 06 answers on a
 * cache hit — from a constant, in an async route with stage 06's headers. Stage 06 does the same
 * plus reading the query and its cache, so the distance between the two is what the lookup costs.
 */
import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1"), PAGE_FILE: text("") });
if (!config.PAGE_FILE) {
  console.error("PAGE_FILE must name the page to answer (a GET /todo answer of stage 06)");
  process.exit(2);
}
const page = readFileSync(config.PAGE_FILE, "utf8");

const app = new Hono();
app.get("/index", (c) => c.json({ msg: "hello world" })); // what the bench waits for at start
app.get(
  "/todo",
  async () => new Response(page, { headers: { "Content-Type": "application/json", "X-Cache": "hit" } }),
);

await serveGracefully({
  fetch: app.fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) => console.log(`reference: Hono + server-kit, a constant page, listening on ${url}/todo`),
});
