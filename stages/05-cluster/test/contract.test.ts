import { describeTodoApi, describeTodoApiOverHttp, inProcess } from "@zero-to-one/contract";
import { createApp } from "../src/app.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { startCluster } from "./cluster.js";

describeTodoApi("05-cluster in-process (SQLite)", {
  level: 4,
  connect: () => inProcess(createApp({ store: createSqliteStore(":memory:") })),
});

// two workers, each with its own connection to one SQLite file in WAL mode: whichever worker
// answers, the API behaves the same
describeTodoApiOverHttp("05-cluster over HTTP (2 workers, SQLite file)", {
  level: 4,
  start: (dbPath) => startCluster({ WORKERS: "2", DB_PATH: dbPath }),
});
