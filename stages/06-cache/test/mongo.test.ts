import { describeMongoExplain, describeOnMongo } from "@zero-to-one/contract";
import { mongoChores } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";
import { REDIS_URL, redisUrl, stageDir, startCluster } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const { dropDatabase, collection } = mongoChores(MongoClient);

await describeOnMongo("06-cache", {
  level: 4,
  tag: "06",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => cachedApp(store, redisUrl),
  // without redis-server the stage serves every page from the store and says so
  health: redisUrl ? "ok" : "degraded",
  startServer: (mongoUrl) => startCluster({ MONGO_URL: mongoUrl }),
  served: "MongoDB, 2 workers with a pool each",
  startUpLine: /store: mongo at .*, 2 workers/,
  dropDatabase,
  also: (mongo) =>
    describeMongoExplain("06-cache", {
      mongo,
      tag: "06",
      stageDir,
      collection,
      plans,
      dropDatabase,
      env: { REDIS_URL },
    }),
  closeApps: closeCachedApps,
});
