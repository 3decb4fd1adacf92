import { describeTodoApi, describeTodoApiOverHttp, inProcess } from "@zero-to-one/contract";
import { afterAll } from "vitest";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, startCluster } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// without redis-server the stage serves every page from the store and says so: "degraded"
const withoutRedis = redisUrl ? "" : ", no Redis: cache bypassed";
const health = redisUrl ? "ok" : "degraded";

describeTodoApi(`08-secure in-process (SQLite${withoutRedis})`, {
  level: 4,
  health,
  connect: async () => inProcess(await cachedApp(createSqliteStore(":memory:"), redisUrl)),
});
afterAll(closeCachedApps);

// two workers, each with its own connection to one SQLite file in WAL mode: whichever worker
// answers, the API behaves the same
describeTodoApiOverHttp(`08-secure over HTTP (2 workers, SQLite file${withoutRedis})`, {
  level: 4,
  health,
  start: (dbPath) => startCluster({ WORKERS: "2", DB_PATH: dbPath }),
});
