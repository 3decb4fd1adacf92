import { text } from "@zero-to-one/server-kit";
import { fileURLToPath } from "node:url";
import { createMongoStore } from "./mongo-store.js";
import { redacted, secretUrl } from "./secrets.js";
import { createSqliteStore } from "./sqlite-store.js";

/** The settings that pick a store; the server and the seed script read the same ones. */
export const storeSettings = {
  // inside the stage folder, wherever the process was started from
  DB_PATH: text(fileURLToPath(new URL("../.data/todo.db", import.meta.url))),
  MONGO_URL: secretUrl(["mongodb:", "mongodb+srv:"]),
};

/** MongoDB when MONGO_URL is set, else the SQLite file at DB_PATH. */
export async function openStore({ DB_PATH, MONGO_URL }: { DB_PATH: string; MONGO_URL: string | undefined }) {
  const store = MONGO_URL ? await createMongoStore(MONGO_URL) : createSqliteStore(DB_PATH);
  const where = MONGO_URL ? redacted(MONGO_URL) : DB_PATH;
  return { store, description: `${store.kind} at ${where}` };
}

/** For a process entry: a store that cannot be opened is one line on stderr and exit code 1. */
export async function openStoreOrExit(config: Parameters<typeof openStore>[0]) {
  try {
    return await openStore(config);
  } catch (error) {
    const target = config.MONGO_URL ? "MongoDB (MONGO_URL)" : `the SQLite file DB_PATH=${config.DB_PATH}`;
    console.error(`cannot open ${target}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
