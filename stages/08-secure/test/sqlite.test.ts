import { describeSqliteFile } from "@zero-to-one/contract";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, withRedis } from "./cluster.js";
import { ownedBy } from "./signed-in.js";
import { cachedApp, closeCachedApps } from "./workers.js";

/** The one owner of what the shared suite writes. */
const owner = "0f6c8a52-1d2b-4c47-9a0e-6b1f4d3e2a10";

// level 3: the index is one per owner since this stage, and plans.test.ts checks how it is used
await withRedis("08-secure: the SQLite store on a file", () =>
  describeSqliteFile("08-secure", {
    level: 3,
    open: (path, options) => ownedBy(createSqliteStore(path, options), owner),
    seededTodos,
    sharedByProcesses: true,
    app: (view) => cachedApp(view, redisUrl),
    closeApps: closeCachedApps,
  }),
);
