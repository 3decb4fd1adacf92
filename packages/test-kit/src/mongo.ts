import { readdirSync } from "node:fs";
import { lookup } from "node:dns/promises";
import { homedir } from "node:os";
import { join } from "node:path";

export interface TestMongo {
  url: string;
  /** Stops a throwaway server (a no-op for a MONGO_URL the user gave). */
  stop: () => Promise<void>;
}

export type MongoOrReason = (TestMongo & { skipped?: undefined }) | { url?: undefined; skipped: string };

export const MONGO_SKIPPED = "MongoDB not reachable (set MONGO_URL)";

const DOWNLOAD_HOST = "fastdl.mongodb.org";

/**
 * Real MongoDB for tests: `MONGO_URL` when given; else a throwaway `mongod` from
 * mongodb-memory-server when it has a binary or can download one within `timeoutMs`; else
 * `{skipped}`. Offline it gives up quickly instead of hanging. Tests should use a database of
 * their own on the server and drop it afterwards.
 */
export async function startTestMongo({ timeoutMs = 10_000 } = {}): Promise<MongoOrReason> {
  const given = process.env["MONGO_URL"];
  if (given) return { url: given, stop: async () => {} };
  if (!(hasCachedBinary() || (await canResolve(DOWNLOAD_HOST)))) return { skipped: MONGO_SKIPPED };

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
  if (!server) return { skipped: MONGO_SKIPPED };
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
