import { describeTodoApi, inProcess, overHttp } from "@zero-to-one/contract";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, startCluster, type Cluster } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// without redis-server the stage serves every page from the store and says so: "degraded"
const withoutRedis = redisUrl ? "" : ", no Redis: cache bypassed";
const health = redisUrl ? "ok" : "degraded";

describeTodoApi(`07-queue in-process (SQLite${withoutRedis})`, {
  level: 4,
  health,
  connect: async () => inProcess(await cachedApp(createSqliteStore(":memory:"), redisUrl)),
});

// two workers, each with its own connection to one SQLite file in WAL mode: whichever worker
// answers, the API behaves the same
const dir = mkdtempSync(join(tmpdir(), "zto-07-"));
let cluster: Cluster | undefined;
describeTodoApi(`07-queue over HTTP (2 workers, SQLite file${withoutRedis})`, {
  level: 4,
  health,
  connect: async () => {
    // a folder that does not exist yet: the workers create it
    cluster = await startCluster({ WORKERS: "2", DB_PATH: join(dir, "new-folder", "todo.db") });
    return overHttp(cluster.url);
  },
});
afterAll(async () => {
  await closeCachedApps();
  expect(await cluster?.stop()).toBe(0);
  rmSync(dir, { recursive: true, force: true });
});
