/**
 * Bare Hono on @hono/node-server's serve(): the hello of stage 01 without server-kit. Its distance
 * to the raw hello is what the adapter (Request and Response objects), routing and c.json() cost.
 */
import { serve } from "@hono/node-server";
import type { Server } from "node:http";
import { port, readConfigOrExit, text } from "@zero-to-one/server-kit";
import { bareHono } from "./bare-hono.js";
import { closeOnSigterm } from "./listen.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1") });

const server = serve({ fetch: bareHono().fetch, port: config.PORT, hostname: config.HOST }, () =>
  console.log(`reference: bare Hono listening on http://${config.HOST}:${config.PORT}`),
) as Server;
closeOnSigterm(server);
