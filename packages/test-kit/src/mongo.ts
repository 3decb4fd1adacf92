import { spawn, spawnSync } from "node:child_process";
import { readdirSync, mkdtempSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { connect } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { MongoClient } from "mongodb";
import { endWithTests } from "./end-with-tests.js";
import { freePort } from "./ports.js";
import { stopChild } from "./stop-child.js";

/** Which server answered: tests print it, so a FerretDB run is never taken for a MongoDB one. */
export interface MongoServerInfo {
  /** "MongoDB" or "FerretDB": what `buildInfo` says (FerretDB adds `ferretdbVersion`). */
  product: "MongoDB" | "FerretDB";
  version: string;
  /** e.g. "FerretDB v1.24.2 (MongoDB wire protocol)" or "MongoDB 7.0.14". */
  label: string;
}

export interface TestMongo {
  url: string;
  server: MongoServerInfo;
  /** Stops a throwaway server (a no-op for a MONGO_URL the user gave). */
  stop: () => Promise<void>;
}

export type MongoOrReason = (TestMongo & { skipped?: undefined }) | { url?: undefined; skipped: string };

export const MONGO_SKIPPED =
  "MongoDB not reachable: set MONGO_URL, or install FerretDB (npm run doctor says how)";

const DOWNLOAD_HOST = "fastdl.mongodb.org";

/**
 * A MongoDB-wire server for tests, the first of:
 * 1. `MONGO_URL` when given (a real MongoDB, or whatever it names);
 * 2. a throwaway FerretDB (SQLite handler) on a free port and a temporary folder, when `ferretdb`
 *    is on the PATH;
 * 3. a throwaway `mongod` from mongodb-memory-server, when it has a binary or can download one;
 * otherwise `{skipped}`, with the line to print. Tests use databases of their own and drop them.
 */
export async function startTestMongo({ timeoutMs = 10_000 } = {}): Promise<MongoOrReason> {
  const given = process.env["MONGO_URL"];
  if (given) return { url: given, server: await identify(given), stop: async () => {} };
  const started = (await startFerretDb(timeoutMs)) ?? (await startMemoryServer(timeoutMs));
  if (!started) return { skipped: MONGO_SKIPPED };
  try {
    return { ...started, server: await identify(started.url) };
  } catch (error) {
    await started.stop();
    throw error;
  }
}

/** Asks the server who it is. */
export async function identify(url: string): Promise<MongoServerInfo> {
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
  try {
    const info = await client.db("admin").command({ buildInfo: 1 });
    const ferret = info["ferretdbVersion"] as string | undefined;
    if (ferret) {
      const version = ferret.replace(/^v?/, "v");
      return { product: "FerretDB", version, label: `FerretDB ${version} (MongoDB wire protocol)` };
    }
    const version = String(info["version"]);
    return { product: "MongoDB", version, label: `MongoDB ${version}` };
  } finally {
    await client.close();
  }
}

async function startFerretDb(timeoutMs: number) {
  if (spawnSync("ferretdb", ["--version"]).error) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zto-ferretdb-"));
  const child = spawn(
    "ferretdb",
    [
      "--handler=sqlite",
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      "--debug-addr=-", // its metrics endpoint would otherwise take 8088 on every run
      "--telemetry=disable",
      "--log-level=error",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  endWithTests(child);
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = () => stopChild(child, exited, dir);

  const deadline = Date.now() + timeoutMs;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`ferretdb did not start on 127.0.0.1:${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url: `mongodb://127.0.0.1:${port}/`, stop };
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

async function startMemoryServer(timeoutMs: number) {
  if (!(hasCachedBinary() || (await canResolve(DOWNLOAD_HOST)))) return undefined;

  let timedOut = false;
  const started = (async () => {
    const { MongoMemoryServer } = await import("mongodb-memory-server-core");
    // it reports a failed start with a long warning; the caller prints one skip line instead
    const warn = console.warn;
    console.warn = () => {};
    try {
      const server = await MongoMemoryServer.create({ instance: { ip: "127.0.0.1" } });
      if (timedOut) {
        await server.stop(); // arrived after we gave up: must not outlive the test run
        return undefined;
      }
      return server;
    } finally {
      console.warn = warn;
    }
  })().catch(() => undefined);

  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      timedOut = true;
      resolve(undefined);
    }, timeoutMs);
    timer.unref();
  });
  const server = await Promise.race([started, deadline]);
  clearTimeout(timer);
  if (!server) return undefined;
  return { url: server.getUri(), stop: async () => void (await server.stop()) };
}

function hasCachedBinary(): boolean {
  if (process.env["MONGOMS_SYSTEM_BINARY"]) return true;
  const cwd = process.cwd();
  return [
    process.env["MONGOMS_DOWNLOAD_DIR"],
    join(cwd, "node_modules", ".cache", "mongodb-memory-server"),
    join(cwd, "..", "..", "node_modules", ".cache", "mongodb-memory-server"),
    join(homedir(), ".cache", "mongodb-binaries"),
  ].some((dir) => dir !== undefined && holdsMongod(dir));
}

const holdsMongod = (dir: string) => {
  try {
    return readdirSync(dir, { recursive: true }).some((name) => /(^|\/)mongod[^/]*$/.test(String(name)));
  } catch {
    return false;
  }
};

async function canResolve(host: string): Promise<boolean> {
  const timeout = new Promise<boolean>((resolve) => setTimeout(resolve, 2_000, false).unref());
  return Promise.race([
    lookup(host).then(
      () => true,
      () => false,
    ),
    timeout,
  ]);
}
