import { type MongoServerInfo, startTestMongo } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";

/** Where stages 03+ keep their todos during a tour: recorded in the results, named beside every table. */
export type StoreInfo =
  | { kind: "sqlite"; label: string }
  | {
      kind: "mongo";
      /** What the server's buildInfo says it is ("unrecorded" in results files older than this field). */
      product: MongoServerInfo["product"] | "unrecorded";
      version: string;
      /** e.g. "FerretDB v1.24.2 (MongoDB wire protocol)" or "MongoDB 7.0.14". */
      label: string;
      /** The server named by MONGO_URL, or one the tour started and stopped. */
      from: "MONGO_URL" | "throwaway";
    };

export const SQLITE: StoreInfo = { kind: "sqlite", label: "SQLite" };

/** The store in words. A FerretDB run says it is not MongoDB, so its speed is never read as MongoDB's. */
export function describeStore(store: StoreInfo): string {
  if (store.kind === "sqlite") return "SQLite, a fresh file per stage and round";
  const notMongo = store.product === "FerretDB" ? " — not MongoDB" : "";
  const where = store.from === "MONGO_URL" ? "at MONGO_URL" : "a throwaway server the tour started";
  return `${store.label}${notMongo} (${where}, a database per stage)`;
}

/** Results files before StoreInfo said only "sqlite" or "mongo". */
export function storeOf(recorded: StoreInfo | "sqlite" | "mongo"): StoreInfo {
  if (recorded === "sqlite") return SQLITE;
  if (recorded === "mongo") {
    const label = "the server at MONGO_URL (which one was not recorded)";
    return { kind: "mongo", product: "unrecorded", version: "", label, from: "MONGO_URL" };
  }
  return recorded;
}

export interface TourMongo {
  url: string;
  store: StoreInfo;
  stop: () => Promise<void>;
}

/**
 * The MongoDB-wire server of a `--store mongo` tour: MONGO_URL when set, else a throwaway FerretDB
 * (or mongod) from test-kit. A string says why there is none, in one line.
 */
export async function startTourMongo(): Promise<TourMongo | string> {
  const given = process.env["MONGO_URL"];
  try {
    const started = await startTestMongo();
    if (started.skipped !== undefined) return started.skipped;
    const { product, version, label } = started.server;
    return {
      url: started.url,
      store: { kind: "mongo", product, version, label, from: given ? "MONGO_URL" : "throwaway" },
      stop: started.stop,
    };
  } catch (error) {
    const what = given
      ? `MONGO_URL (${hidePassword(given)}) did not answer`
      : "the throwaway server did not start";
    return `${what}: ${(error as Error).message.split("\n")[0]}`;
  }
}

export const hidePassword = (url: string) => url.replace(/\/\/[^@/]*@/, "//…@");

/**
 * The same server with another database. Credentials keep authenticating where they did: without
 * an authSource, MongoDB checks them against the URL's own database (or admin).
 */
export function withDatabase(url: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/)([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(url);
  if (!match) throw new Error(`not a mongodb:// URL: ${hidePassword(url)}`);
  const [, scheme, hosts = "", db = "", query = ""] = match;
  const params = query ? query.split("&") : [];
  if (hosts.includes("@") && !params.some((p) => /^authSource=/i.test(p))) {
    params.push(`authSource=${db || "admin"}`);
  }
  return `${scheme}${hosts}/${name}${params.length > 0 ? `?${params.join("&")}` : ""}`;
}

/** The database a stage gets on the tour's server: its own, so no stage reads another's todos. */
export const databaseFor = (targetId: string) => `zto_bench_${targetId.replace(/\W/g, "_")}`;

export async function dropDatabase(url: string): Promise<void> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    await client.connect();
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}
