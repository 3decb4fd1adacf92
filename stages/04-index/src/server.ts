import { port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import { createApp } from "./app.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";

const config = readConfigOrExit({ PORT: port(8000), HOST: text("127.0.0.1"), ...storeSettings });
const { store, description } = await openStoreOrExit(config);

await serveGracefully({
  fetch: createApp({ store }).fetch,
  port: config.PORT,
  hostname: config.HOST,
  onListen: (url) => console.log(`stage 04-index listening on ${url}/todo (store: ${description})`),
  onClose: () => store.close(),
});
