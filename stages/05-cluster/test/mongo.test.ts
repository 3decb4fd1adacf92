import { describeMongoExplain, describeOnMongo } from "@zero-to-one/contract";
import { mongoChores } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { createApp } from "../src/app.js";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";
import { stageDir, startCluster } from "./cluster.js";

const { dropDatabase, collection } = mongoChores(MongoClient);

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
