/**
 * Stage 06's own app — its routes, its reading of the query, its answer — served by server-kit in
 * one process, with the cache replaced by one that answers PAGE_FILE at once, and no store, no Redis
 * behind it. Against H (the same page from a route of its own) it measures what stage 06's app adds;
 * against E (the real stage 06) what the real cache and the worker around it add.
 */
import { readFileSync } from "node:fs";
import { createApp } from "@zero-to-one/stage-06-cache/dist/app.js";
import { port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";

type AppDeps = Parameters<typeof createApp>[0];

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1"), PAGE_FILE: text("") });
if (!config.PAGE_FILE) {
  console.error("PAGE_FILE must name the page to answer (a GET /todo answer of stage 06)");
  process.exit(2);
}
const page = readFileSync(config.PAGE_FILE, "utf8");

const firstPage = {
  read: async () => ({ body: page, cache: "hit" as const }),
  redisState: () => "up" as const,
  stats: {},
};
// only GET /index and the first page of GET /todo are asked for, and they touch neither of the others
const app = createApp({
  store: {} as AppDeps["store"],
  firstPage: firstPage as unknown as AppDeps["firstPage"],
  notFoundCache: {} as AppDeps["notFoundCache"],
});

await serveGracefully({
  fetch: app.fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) =>
    console.log(`reference: stage 06's app, its cache a constant page, listening on ${url}/todo`),
});
