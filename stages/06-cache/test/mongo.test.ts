import { describeMongoExplain, describeOnMongo } from "@zero-to-one/contract";
import { MongoClient } from "mongodb";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";
import { REDIS_URL, redisUrl, stageDir, startCluster } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const dropDatabase = async (url: string, dbName: string) => {
  const client = await new MongoClient(url).connect();
  await client.db(dbName).dropDatabase();
  await client.close();
};

const collection = async (url: string) => {
  const client = await new MongoClient(url).connect();
  return { todos: client.db().collection("todos"), close: () => client.close() };
};

await describeOnMongo("06-cache", {
  level: 4,
  tag: "06",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => cachedApp(store, redisUrl),
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
