import { describeMongoExplain, describeOnMongo } from "@zero-to-one/contract";
import { MongoClient } from "mongodb";
import { createApp } from "../src/app.js";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";
import { stageDir, startCluster } from "./cluster.js";

const dropDatabase = async (url: string, dbName: string) => {
  const client = await new MongoClient(url).connect();
  await client.db(dbName).dropDatabase();
  await client.close();
};

const collection = async (url: string) => {
  const client = await new MongoClient(url).connect();
  return { todos: client.db().collection("todos"), close: () => client.close() };
};

await describeOnMongo("05-cluster", {
  level: 4,
  tag: "05",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => createApp({ store }),
  startServer: (mongoUrl) => startCluster({ MONGO_URL: mongoUrl }),
  served: "MongoDB, 2 workers with a pool each",
  startUpLine: /store: mongo at .*, 2 workers/,
  dropDatabase,
  also: (mongo) =>
    describeMongoExplain("05-cluster", { mongo, tag: "05", stageDir, collection, plans, dropDatabase }),
});
