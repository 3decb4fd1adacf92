import { describeTodoApi, describeTodoApiOverHttp, inProcess } from "@zero-to-one/contract";
import { startServer } from "@zero-to-one/test-kit";
import { createApp } from "../src/app.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeTodoApi("04-index in-process (SQLite)", {
  level: 4,
  connect: () => inProcess(createApp({ store: createSqliteStore(":memory:") })),
});

describeTodoApiOverHttp("04-index over HTTP (SQLite file)", {
  level: 4,
  start: (dbPath) =>
    startServer({ cwd: new URL("..", import.meta.url).pathname, env: { DB_PATH: dbPath, MONGO_URL: "" } }),
});
