import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import type { Daemon } from "./processes.js";
import { run } from "./run.js";
import { paths } from "./state.js";
import { DATABASE, hostNamed, PORTS } from "./topology.js";

/**
 * FerretDB v1.24.2 over the host's own PostgreSQL (on its loopback). Over the standby it serves
 * reads: it writes nothing when it starts, and a write fails with PostgreSQL's "cannot execute
 * INSERT in a read-only transaction (SQLSTATE 25006)". It reads its catalogue (which collections
 * exist, in which tables) once, on its first query, and never again: a collection created on the
 * primary after that stays invisible to it (empty answers, no error) until it restarts. So `up`
 * starts it once the apps' collections exist and have reached the standby (see up.ts).
 */
export function ferretDaemon(name: string): Daemon {
  const state = join(paths.host(name), "ferretdb");
  mkdirSync(state, { recursive: true });
  return {
    argv: [
      "ferretdb",
      "--handler=postgresql",
      `--postgresql-url=postgres://postgres@127.0.0.1:${PORTS.postgres}/ferretdb`,
      `--listen-addr=0.0.0.0:${PORTS.ferretdb}`,
      `--state-dir=${state}`,
      "--debug-addr=-",
      "--telemetry=disable",
      "--log-level=warn",
    ],
    env: {},
    log: paths.log(name, "ferretdb"),
  };
}

export const ferretUrl = (name: string) =>
  `mongodb://${hostNamed(name).address}:${PORTS.ferretdb}/${DATABASE}`;

/** The collections of the apps' database, as the host's FerretDB sees them. */
export async function collectionsOn(name: string): Promise<string[]> {
  const client = new MongoClient(ferretUrl(name), {
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
  try {
    const list = await client.db().listCollections({}, { nameOnly: true }).toArray();
    return list.map((c) => c.name).sort();
  } finally {
    await client.close();
  }
}

export async function ferretAnswers(name: string): Promise<void> {
  const client = new MongoClient(ferretUrl(name), {
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
  try {
    await client.db().command({ ping: 1 });
  } finally {
    await client.close();
  }
}

/**
 * The stage's own store opens the database once, as its server does at start-up: its collections
 * and indexes exist on the primary afterwards, whatever the stage names them.
 */
export async function createSchema(stageDir: string, url: string): Promise<void> {
  const script = [
    "const { createMongoStore } = await import(process.argv[1]);",
    "const store = await createMongoStore(process.argv[2]);",
    "await store.close();",
  ].join(" ");
  const ran = await run(
    [process.execPath, "--input-type=module", "-e", script, join(stageDir, "dist", "mongo-store.js"), url],
    { timeoutMs: 30_000 },
  );
  if (ran.code !== 0) throw new Error(`the stage's store could not open ${url}: ${ran.stderr.trim()}`);
}
