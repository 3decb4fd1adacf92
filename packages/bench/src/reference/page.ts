/**
 * The ceiling for `list`: a raw node:http server answering a first page of ten todos that was
 * serialized once at start-up. A stage's distance to it is what routing, the store and JSON
 * encoding per request cost. With PAGE_FILE it answers that file's bytes instead: the very page a
 * stage answered, so the two send the same bytes.
 */
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { port, readConfigOrExit, text } from "@zero-to-one/server-kit";
import { listenUntilSigterm } from "./listen.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1"), PAGE_FILE: text("") });
const now = Math.floor(Date.now() / 1000);
const todos = Array.from({ length: 10 }, (_, i) => ({
  id: `00000000-0000-4000-8000-${String(10_000 - i).padStart(12, "0")}`,
  content: `todo number ${10_000 - i}`,
  created_at: now - i,
  is_finished: false,
  finished_at: null,
}));
const page = config.PAGE_FILE ? readFileSync(config.PAGE_FILE) : Buffer.from(JSON.stringify({ data: todos }));
const hello = Buffer.from(JSON.stringify({ msg: "hello world" }));

const server = createServer((req, res) => {
  const path = req.url?.split("?")[0];
  const body = path === "/todo" ? page : path === "/index" ? hello : undefined;
  if (body) {
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  } else {
    res.writeHead(404).end();
  }
});

listenUntilSigterm(server, config.PORT, config.HOST, "reference: raw node:http pre-serialized page");
