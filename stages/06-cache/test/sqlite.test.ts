import { describeSqliteFile } from "@zero-to-one/contract";
import { sqlitePlans, sqliteQueries } from "../src/query-plans.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// without redis-server the app serves every page from the store and /healthz says "degraded"
describeSqliteFile(redisUrl ? "06-cache" : "06-cache (no Redis: cache bypassed)", {
  level: 4,
  queryPlans: { sqlitePlans, byCursor: sqliteQueries.byCursor },
  open: createSqliteStore,
  seededTodos,
  sharedByProcesses: true,
  app: (store) => cachedApp(store, redisUrl),
  health: redisUrl ? "ok" : "degraded",
  closeApps: closeCachedApps,
});
