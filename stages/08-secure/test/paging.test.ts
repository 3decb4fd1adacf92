import { describeKeysetPaging } from "@zero-to-one/contract";
import * as cursors from "../src/cursor.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

describeKeysetPaging({
  open: createSqliteStore,
  seededTodos,
  app: (store) => cachedApp(store, redisUrl),
  cursors,
  closeApps: closeCachedApps,
});
