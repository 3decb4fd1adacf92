/**
 * Bare Hono with the security headers and in-flight tracking done the simple way, as server-kit
 * once did them: a "request" listener that runs before the app's, sets the two headers with
 * `res.setHeader()` and tracks the response with `res.once("close")`. Node then merges the headers
 * set one by one with the app's own when the answer is written. Today's server-kit does both in its
 * own ServerResponse class instead (docs/framework-cost.md measures the two ways side by side).
 */
import { serve } from "@hono/node-server";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { SECURITY_HEADERS, port, readConfigOrExit, text } from "@zero-to-one/server-kit";
import { bareHono } from "./bare-hono.js";
import { closeOnSigterm } from "./listen.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1") });
const headers = Object.entries(SECURITY_HEADERS);
const inFlight = new Set<ServerResponse>();

const server = serve({ fetch: bareHono().fetch, port: config.PORT, hostname: config.HOST }, () =>
  console.log(`reference: bare Hono + a request listener listening on http://${config.HOST}:${config.PORT}`),
) as Server;
server.prependListener("request", (_req: IncomingMessage, res: ServerResponse) => {
  for (const [name, value] of headers) res.setHeader(name, value);
  inFlight.add(res);
  res.once("close", () => inFlight.delete(res));
});
closeOnSigterm(server);
