import { describeMongoExplain, describeOnMongo } from "@zero-to-one/contract";
import { mongoChores, startServer } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { createApp } from "../src/app.js";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";

const stageDir = new URL("..", import.meta.url).pathname;

const { dropDatabase, collection } = mongoChores(MongoClient);

await describeOnMongo("04-index", {
  level: 4,
  tag: "04",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => createApp({ store }),
  startServer: (mongoUrl) => startServer({ cwd: stageDir, env: { MONGO_URL: mongoUrl } }),
  served: "MongoDB",
  startUpLine: /store: mongo at /,
  dropDatabase,
  also: (mongo) =>
    describeMongoExplain("04-index", { mongo, tag: "04", stageDir, collection, plans, dropDatabase }),
});
