import { describeSqliteFile } from "@zero-to-one/contract";
import { createApp } from "../src/app.js";
import { sqlitePlans, sqliteQueries } from "../src/query-plans.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeSqliteFile("05-cluster", {
  level: 4,
  queryPlans: { sqlitePlans, byCursor: sqliteQueries.byCursor },
  open: createSqliteStore,
  seededTodos,
  sharedByProcesses: true,
  app: (store) => createApp({ store }),
});
