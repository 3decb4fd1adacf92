import { describeOnMongo } from "@zero-to-one/contract";
import { mongoChores, startServer } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { createApp } from "../src/app.js";
import { createMongoStore } from "../src/mongo-store.js";

const { dropDatabase } = mongoChores(MongoClient);

await describeOnMongo("03-mongo", {
  level: 3,
  tag: "03",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => createApp({ store }),
  startServer: (mongoUrl) =>
    startServer({ cwd: new URL("..", import.meta.url).pathname, env: { MONGO_URL: mongoUrl } }),
  served: "MongoDB",
  startUpLine: /store: mongo at /,
  dropDatabase,
});
