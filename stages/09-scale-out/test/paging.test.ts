import { describeKeysetPaging } from "@zero-to-one/contract";
import * as cursors from "../src/cursor.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, withRedis } from "./cluster.js";
import { ownedBy, someone } from "./signed-in.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// one user's todos, paged by that user through the app
await withRedis("09-scale-out: keyset paging over HTTP", () =>
  describeKeysetPaging({
    open: (path) => ownedBy(createSqliteStore(path), someone().id),
    seededTodos,
    app: (view) => cachedApp(view, redisUrl),
    cursors,
    closeApps: closeCachedApps,
  }),
);
