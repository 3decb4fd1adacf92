import { port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp } from "./app.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1") });

await serveGracefully({
  fetch: createApp().fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) => console.log(`stage 01-hello listening on ${url}/index`),
});
