import { integer, port, readConfigOrExit, serveGracefully, text } from "@zero-to-one/server-kit";
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { createApp } from "./app.js";
import { addressList } from "./client-address.js";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import { exitWhenReleased, runPrimary } from "./primary.js";

const config = readConfigOrExit({
  PORT: port(8000),
  HOST: text("127.0.0.1"),
  // one worker per core is enough in Node: each worker is already asynchronous (see the chapter)
  WORKERS: integer(availableParallelism(), { min: 1, max: 256 }),
  TRUSTED_PROXY: addressList("127.0.0.1"),
  ...storeSettings,
});

if (cluster.isPrimary) {
  // the primary opens no store and serves nothing: it forks, watches and replaces the workers
  const store = config.MONGO_URL
    ? `mongo at ${config.MONGO_URL.replace(/\/\/[^@/]*@/, "//…@")}` // no password in the log
    : `sqlite at ${config.DB_PATH}`;
  runPrimary({
    workers: config.WORKERS,
    onReady: ({ pids, port }) => {
      const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
      console.log(
        `stage 05-cluster listening on http://${host}:${port}/todo ` +
          `(store: ${store}, ${pids.length} workers: pids ${pids.join(", ")}; primary pid ${process.pid})`,
      );
    },
  });
} else {
  // each worker runs the stage-04 server: its own store connection, the port shared through the primary
  const { store } = await openStoreOrExit(config);
  // Ctrl-C and a closed terminal signal the whole process group: only the primary decides what happens
  process.on("SIGINT", () => {});
  process.on("SIGHUP", () => {});
  await serveGracefully({
    fetch: createApp({ store, trustedProxies: config.TRUSTED_PROXY }).fetch,
    port: config.PORT,
    hostname: config.HOST,
    signals: ["SIGTERM"],
    onClose: () => store.close(),
    exit: exitWhenReleased,
  });
}
