import { startTestMongo, type MongoServerInfo, type ServerProcess } from "@zero-to-one/test-kit";
import { afterAll, describe, expect } from "vitest";
import { inProcess, overHttp } from "./client.js";
import { describeMongoDown } from "./mongo-down.js";
import type { SignIn } from "./sign-in.js";
import { describeTodoApi } from "./todo-api.js";
import { describeTodoStore, type TodoStoreLike } from "./todo-store.js";

export interface OnMongoOptions<Store extends TodoStoreLike> {
  level: 3 | 4;
  /** A short tag for this stage's throwaway database names, e.g. "05". */
  tag: string;
  /** The stage's own MongoDB store on database `dbName` of the server at `url`. */
  openStore: (url: string, dbName: string) => Promise<Store>;
  /** The stage's app over a store, as its in-process tests build it. */
  app: (store: Store) => Promise<Parameters<typeof inProcess>[0]> | Parameters<typeof inProcess>[0];
  /** Starts the stage's built server with this MONGO_URL, as a real process. */
  startServer: (mongoUrl: string) => Promise<ServerProcess>;
  /** What the suite over HTTP says it runs, e.g. "MongoDB, 2 workers with a pool each". */
  served: string;
  /** What the start-up line must say about the store. */
  startUpLine: RegExp;
  /** Drops database `dbName` on the server at `url` (the stage's own driver does it). */
  dropDatabase: (url: string, dbName: string) => Promise<void>;
  /** Runs after the suite, before the stores close: e.g. closing the apps' cache connections. */
  closeApps?: () => Promise<void>;
  /** What GET /healthz must say (see describeTodoApi): "degraded" for 06-07 without Redis. */
  health?: "ok" | "degraded";
  /** Declares the stage's own suites on the same server (e.g. describeMongoExplain), inside this one. */
  also?: (mongo: { url: string; server: MongoServerInfo }) => void;
  /** Stage 08+: the API suites sign in first (see describeTodoApi). */
  signIn?: SignIn;
}

/**
 * The store contract and the API contract (in-process and over HTTP) on a MongoDB-wire server:
 * MONGO_URL, else a throwaway FerretDB, else a throwaway mongod (see startTestMongo); otherwise one
 * `skipped:` line and skipped tests. The suite's name says which server answered.
 * Await it at the top of a test file.
 */
export async function describeOnMongo<Store extends TodoStoreLike>(
  label: string,
  options: OnMongoOptions<Store>,
) {
  const {
    level,
    tag,
    openStore,
    app,
    startServer,
    served,
    startUpLine,
    dropDatabase,
    closeApps,
    also,
    signIn,
  } = options;
  const health = options.health ?? "ok";
  const mongo = await startTestMongo();
  if (mongo.skipped !== undefined) console.log(`skipped: ${mongo.skipped}`);
  else console.log(`${label}: MongoDB suites on ${mongo.server.label}`);
  // the suite's name says which server ran it: FerretDB passing is not MongoDB passing
  const on = mongo.skipped === undefined ? mongo.server.label : "MongoDB";

  describe.skipIf(Boolean(mongo.skipped))(`${label} on ${on}`, () => {
    // databases of our own, dropped afterwards: a user's data is never touched
    const run = `todo_test_${tag}_${process.pid}_${Date.now()}`;

    describeTodoStore(`${label} MongoDB`, {
      level,
      open: () => openStore(mongo.url!, `${run}_store`),
      cleanUp: () => dropDatabase(mongo.url!, `${run}_store`),
    });

    const stores: Store[] = [];
    describeTodoApi(`${label} in-process (MongoDB)`, {
      level,
      health,
      signIn,
      connect: async () => {
        const store = await openStore(mongo.url!, `${run}_api`);
        stores.push(store);
        return inProcess(await app(store));
      },
    });

    let server: ServerProcess | undefined;
    describeTodoApi(`${label} over HTTP (${served})`, {
      level,
      health,
      signIn,
      connect: async () => {
        server = await startServer(withDatabase(mongo.url!, `${run}_live`));
        expect(server.output()).toMatch(startUpLine);
        return overHttp(server.url);
      },
    });

    if (mongo.skipped === undefined) {
      describeMongoDown(`${label} in-process (MongoDB)`, {
        url: mongo.url,
        openStore,
        app,
        dbName: `${run}_down`,
      });
      also?.(mongo);
    }

    afterAll(async () => {
      expect(await server?.stop()).toBe(0);
      await closeApps?.();
      for (const store of stores) await store.close();
      await dropDatabase(mongo.url!, `${run}_api`);
      await dropDatabase(mongo.url!, `${run}_live`);
      await dropDatabase(mongo.url!, `${run}_down`);
      if (mongo.skipped === undefined) await mongo.stop();
    });
  });
}

/** The same server and options, another database: mongodb://host/db?options → mongodb://host/<name>?options */
export function withDatabase(url: string, name: string) {
  const [, base, path = "/", query = ""] =
    /^(mongodb(?:\+srv)?:\/\/[^/?]+)(\/[^?]*)?(\?.*)?$/.exec(url) ?? [];
  if (!base) throw new Error(`cannot read MONGO_URL ${url}`);
  // credentials are checked against the database in the path unless authSource says otherwise
  const keepAuth = base.includes("@") && !/[?&]authSource=/.test(query);
  const authSource = `authSource=${path.slice(1) || "admin"}`;
  return `${base}/${name}${keepAuth ? (query ? `${query}&${authSource}` : `?${authSource}`) : query}`;
}
