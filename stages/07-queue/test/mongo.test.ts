import { describeTodoApi, describeTodoStore, inProcess } from "@zero-to-one/contract";
import { startTestMongo } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, describe } from "vitest";
import { createMongoStore } from "../src/mongo-store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";

// MONGO_URL, or a throwaway mongod when one can be downloaded; otherwise one line and skipped tests.
const mongo = await startTestMongo();
if (mongo.skipped) console.log(`skipped: ${mongo.skipped}`);

describe.skipIf(Boolean(mongo.skipped))("07-queue on MongoDB", () => {
  // databases of our own, dropped afterwards: a user's data is never touched
  const run = `todo_test_06_${process.pid}_${Date.now()}`;
  const dropDatabase = async (dbName: string) => {
    const client = await new MongoClient(mongo.url!).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  };

  describeTodoStore("07-queue MongoDB", {
    level: 4,
    open: () => createMongoStore(mongo.url!, { dbName: `${run}_store` }),
    cleanUp: () => dropDatabase(`${run}_store`),
  });

  const stores: Awaited<ReturnType<typeof createMongoStore>>[] = [];
  describeTodoApi("07-queue in-process (MongoDB)", {
    level: 4,
    connect: async () => {
      const store = await createMongoStore(mongo.url!, { dbName: `${run}_api` });
      stores.push(store);
      return inProcess(await cachedApp(store, redisUrl));
    },
  });

  afterAll(async () => {
    await closeCachedApps();
    for (const store of stores) await store.close();
    await dropDatabase(`${run}_api`);
    if (mongo.skipped === undefined) await mongo.stop();
  });
});
