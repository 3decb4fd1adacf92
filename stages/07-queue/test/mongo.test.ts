import { describeOnMongo } from "@zero-to-one/contract";
import { MongoClient } from "mongodb";
import { createMongoStore } from "../src/mongo-store.js";
import { redisUrl, startCluster } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const dropDatabase = async (url: string, dbName: string) => {
  const client = await new MongoClient(url).connect();
  await client.db(dbName).dropDatabase();
  await client.close();
};

await describeOnMongo("07-queue", {
  level: 4,
  tag: "07",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => cachedApp(store, redisUrl),
  startServer: (mongoUrl) => startCluster({ MONGO_URL: mongoUrl }),
  served: "MongoDB, 2 workers with a pool each",
  startUpLine: /store: mongo at .*, 2 workers/,
  dropDatabase,
  closeApps: closeCachedApps,
});
