import { describeTodoApi, describeTodoApiOverHttp, inProcess, signUpAndIn } from "@zero-to-one/contract";
import { afterAll } from "vitest";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, startCluster, withRedis } from "./cluster.js";
import { ownedBy, someone } from "./signed-in.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// the API of every stage since 02, now as a signed-in client: each suite signs up a user of its own
// through POST /signup and POST /tokens, and sends its bearer token with every request
await withRedis("09-scale-out: the todo API contract, signed in", () => {
  describeTodoApi("09-scale-out in-process (SQLite), signed in", {
    level: 4,
    signIn: signUpAndIn(),
    connect: async () =>
      inProcess(await cachedApp(ownedBy(createSqliteStore(":memory:"), someone().id), redisUrl)),
  });
  afterAll(closeCachedApps);

  // two workers, each with its own connection to one SQLite file in WAL mode: whichever worker
  // answers, the API behaves the same, and the session is known to both
  describeTodoApiOverHttp("09-scale-out over HTTP (2 workers, SQLite file), signed in", {
    level: 4,
    signIn: signUpAndIn(),
    start: (dbPath) => startCluster({ WORKERS: "2", DB_PATH: dbPath }),
  });
});
