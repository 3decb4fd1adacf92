import { appendFileSync, chownSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Daemon } from "./processes.js";
import { runIn } from "./processes.js";
import { must, run } from "./run.js";
import { paths } from "./state.js";
import { hostNamed, PORTS, SUBNET } from "./topology.js";

/** PostgreSQL 15's programs (Debian keeps them off the PATH), else the newest version installed. */
export function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  const chosen = versions.includes("15") ? "15" : versions[0];
  return chosen === undefined ? undefined : join(root, chosen, "bin");
}

const bin = (program: string) => join(postgresBin() ?? "", program);

/** PostgreSQL will not run as root: it runs as `postgres` (the package's user), else `nobody`. */
export async function postgresUser(): Promise<{ name: string; uid: number; gid: number }> {
  for (const name of ["postgres", "nobody"]) {
    const uid = await run(["id", "-u", name]);
    const gid = await run(["id", "-g", name]);
    if (uid.code === 0 && gid.code === 0) return { name, uid: Number(uid.stdout), gid: Number(gid.stdout) };
  }
  throw new Error("no postgres or nobody user to run PostgreSQL as");
}

const dataDir = (name: string) => join(paths.host(name), "pgdata");
const socketDir = (name: string) => join(paths.host(name), "pgrun");

async function ownedFolders(name: string) {
  const user = await postgresUser();
  mkdirSync(paths.host(name), { recursive: true }); // its logs and FerretDB's state go here too
  for (const dir of [dataDir(name), socketDir(name)]) {
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, user.uid, user.gid);
  }
  return user;
}

const asUser = (user: string, argv: string[]) => [
  "setpriv",
  `--reuid=${user}`,
  `--regid=${user}`,
  "--init-groups",
  "--",
  ...argv,
];

/**
 * The primary's cluster: trust for its own loopback only (its FerretDB, in the same namespace), and
 * replication for the standby, with a password, from the subnet.
 */
export async function initPrimary(name: string): Promise<void> {
  const user = await ownedFolders(name);
  await must(
    asUser(user.name, [bin("initdb"), "-D", dataDir(name), "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
  );
  appendFileSync(join(dataDir(name), "pg_hba.conf"), `host replication replicator ${SUBNET} scram-sha-256\n`);
}

/** Once the primary answers: the standby's login and FerretDB's database. */
export async function provisionPrimary(name: string, replicationPassword: string): Promise<void> {
  await psql(name, [
    `CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${replicationPassword}';`,
    "CREATE DATABASE ferretdb;",
  ]);
}

/** The standby: a copy of the primary taken over the network, which then follows its WAL stream. */
export async function cloneStandby(
  name: string,
  primary: string,
  replicationPassword: string,
): Promise<void> {
  const user = await ownedFolders(name);
  const ran = await runIn(
    name,
    asUser(user.name, [
      bin("pg_basebackup"),
      ...["-h", hostNamed(primary).address, "-p", String(PORTS.postgres), "-U", "replicator"],
      ...["-D", dataDir(name), "-R", "-X", "stream", "-c", "fast"],
    ]),
    { env: { ...process.env, PGPASSWORD: replicationPassword }, timeoutMs: 120_000 },
  );
  if (ran.code !== 0)
    throw new Error(`pg_basebackup from ${primary} into ${name} failed: ${ran.stderr.trim()}`);
}

/** The settings that differ per host go on the command line: pg_basebackup copies the config files. */
export const postgresDaemon = async (name: string): Promise<Daemon> => ({
  argv: [
    bin("postgres"),
    ...["-D", dataDir(name)],
    ...["-c", "listen_addresses=*", "-c", `port=${PORTS.postgres}`],
    ...["-c", `unix_socket_directories=${socketDir(name)}`],
  ],
  env: {},
  log: paths.log(name, "postgres"),
  user: (await postgresUser()).name,
});

/** SQL on the host's own server, as the postgres superuser over its loopback; the rows as text. */
export async function psql(
  name: string,
  statements: string[],
  { database = "postgres", timeoutMs = 10_000 } = {},
): Promise<string> {
  const ran = await runIn(
    name,
    [
      bin("psql"),
      "-h",
      "127.0.0.1",
      "-p",
      String(PORTS.postgres),
      "-U",
      "postgres",
      "-d",
      database,
      "-X",
      "-At",
      "-v",
      "ON_ERROR_STOP=1",
      "-f",
      "-",
    ],
    { input: statements.join("\n") + "\n", timeoutMs },
  );
  // the statements may hold a password: only PostgreSQL's own message goes into an error
  if (ran.code !== 0) throw new Error(`psql on ${name}: ${ran.stderr.trim()}`);
  return ran.stdout.trim();
}

export async function postgresAnswers(name: string): Promise<void> {
  const ran = await runIn(name, [bin("pg_isready"), "-h", "127.0.0.1", "-p", String(PORTS.postgres)]);
  if (ran.code !== 0) throw new Error(ran.stdout.trim() || ran.stderr.trim());
}

/** The standby streams from the primary and has replayed everything the primary has written so far. */
export async function standbyCaughtUp(primary: string, standby: string): Promise<void> {
  const address = hostNamed(standby).address;
  const streaming = await psql(primary, [
    `SELECT state FROM pg_stat_replication WHERE client_addr = '${address}';`,
  ]);
  if (streaming !== "streaming")
    throw new Error(`${standby} is not streaming from ${primary} (${streaming || "no connection"})`);
  const lsn = await psql(primary, ["SELECT pg_current_wal_lsn();"]);
  const replayed = await psql(standby, [
    `SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn;`,
  ]);
  if (replayed !== "t") throw new Error(`${standby} has not replayed ${primary}'s WAL up to ${lsn} yet`);
}

/** FerretDB's database on the host's server (every collection of the apps is a table in it). */
const FERRETDB_DATABASE = "ferretdb";

/**
 * A backup of FerretDB's database, as SQL (pg_dump: one consistent snapshot, taken while writes go
 * on). What is acknowledged after its snapshot is not in it.
 */
export async function dumpDatabase(name: string): Promise<string> {
  const ran = await runIn(
    name,
    [
      bin("pg_dump"),
      ...["-h", "127.0.0.1", "-p", String(PORTS.postgres), "-U", "postgres"],
      ...["--format=plain", "--no-owner", FERRETDB_DATABASE],
    ],
    { timeoutMs: 60_000 },
  );
  if (ran.code !== 0) throw new Error(`pg_dump on ${name}: ${ran.stderr.trim()}`);
  return ran.stdout;
}

/** Loads a dumpDatabase backup into the (empty) FerretDB database of the host's server. */
export async function restoreDatabase(name: string, sql: string): Promise<void> {
  await psql(name, [sql], { database: FERRETDB_DATABASE, timeoutMs: 60_000 });
}

/** Deletes the host's cluster: its data folder, as a lost disk does. */
export function wipeCluster(name: string): void {
  rmSync(dataDir(name), { recursive: true, force: true });
  rmSync(socketDir(name), { recursive: true, force: true });
}
