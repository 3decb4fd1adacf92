import { describeTodoApi, describeTodoStore, inProcess, overHttp } from "@zero-to-one/contract";
import { startServer, startTestMongo, type ServerProcess } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, describe, expect } from "vitest";
import { createApp } from "../src/app.js";
import { createMongoStore } from "../src/mongo-store.js";

// MONGO_URL, or a throwaway mongod when one can be downloaded; otherwise one line and skipped tests.
const mongo = await startTestMongo();
if (mongo.skipped) console.log(`skipped: ${mongo.skipped}`);

describe.skipIf(Boolean(mongo.skipped))("03-mongo on MongoDB", () => {
  // databases of our own, dropped afterwards: a user's data is never touched
  const run = `todo_test_03_${process.pid}_${Date.now()}`;
  const dropDatabase = async (dbName: string) => {
    const client = await new MongoClient(mongo.url!).connect();
    await client.db(dbName).dropDatabase();
    await client.close();
  };

  describeTodoStore("03-mongo MongoDB", {
    level: 3,
    open: () => createMongoStore(mongo.url!, { dbName: `${run}_store` }),
    cleanUp: () => dropDatabase(`${run}_store`),
  });

  const stores: Awaited<ReturnType<typeof createMongoStore>>[] = [];
  describeTodoApi("03-mongo in-process (MongoDB)", {
    level: 3,
    connect: async () => {
      const store = await createMongoStore(mongo.url!, { dbName: `${run}_api` });
      stores.push(store);
      return inProcess(createApp({ store }));
    },
  });

  let server: ServerProcess | undefined;
  describeTodoApi("03-mongo over HTTP (MongoDB)", {
    level: 3,
    connect: async () => {
      server = await startServer({
        cwd: new URL("..", import.meta.url).pathname,
        env: { MONGO_URL: withDatabase(mongo.url!, `${run}_live`) },
      });
      expect(server.output()).toMatch(/store: mongo at /);
      return overHttp(server.url);
    },
  });

  afterAll(async () => {
    expect(await server?.stop()).toBe(0);
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
