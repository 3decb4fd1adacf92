import { describeTodoApi, describeTodoStore, inProcess, overHttp } from "@zero-to-one/contract";
import { startTestMongo } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect } from "vitest";
import { createMongoStore } from "../src/mongo-store.js";
import { redisUrl } from "./cluster.js";
import { cachedApp, closeCachedApps } from "./workers.js";
import { startCluster, type Cluster } from "./cluster.js";

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

  let server: Cluster | undefined;
  describeTodoApi("07-queue over HTTP (MongoDB, 2 workers with a pool each)", {
    level: 4,
    connect: async () => {
      server = await startCluster({ MONGO_URL: withDatabase(mongo.url!, `${run}_live`) });
      expect(server.output()).toMatch(/store: mongo at .*, 2 workers/);
      return overHttp(server.url);
    },
  });

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
    await closeCachedApps();
    for (const store of stores) await store.close();
    await dropDatabase(`${run}_api`);
    await dropDatabase(`${run}_live`);
    if (mongo.skipped === undefined) await mongo.stop();
  });
});

/** The same server and options, another database: mongodb://host/db?options → mongodb://host/<name>?options */
function withDatabase(url: string, name: string) {
  const [, base, path = "/", query = ""] =
    /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url) ?? [];
  if (!base) throw new Error(`cannot read MONGO_URL ${url}`);
  // credentials are checked against the database in the path unless authSource says otherwise
  const keepAuth = base.includes("@") && !/[?&]authSource=/.test(query);
  const authSource = `authSource=${path.slice(1) || "admin"}`;
  return `${base}/${name}${keepAuth ? (query ? `${query}&${authSource}` : `?${authSource}`) : query}`;
}
