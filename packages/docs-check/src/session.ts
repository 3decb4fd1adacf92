import { randomBytes } from "node:crypto";
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, isAbsolute, join } from "node:path";
import { freePort, nginxConfigOn, startTestMongo } from "@zero-to-one/test-kit";

/**
 * What one block runs in: its own ports, folder and data, so it touches nothing of the learner's
 * (no `.data/` in a stage, no Redis or MongoDB database of theirs) and runs beside anything else.
 * The docs' ports (8000 for the app, 8888 for nginx, 6379 for Redis, 27017 for MongoDB) are moved
 * to free ones in every command.
 */
export interface Session {
  dir: string;
  ports: { app: number; nginx: number; redis: number };
  env: NodeJS.ProcessEnv;
  mongoUrl?: string;
  close: () => Promise<void>;
}

/** Settings of the stages and of the test runner that must not leak into a learner's commands. */
const NOT_INHERITED =
  /^(?:PORT|HOST|DB_PATH|MONGO_URL|REDIS_URL|WORKERS|EXPORT_DIR|TEST|VITEST.*|TURBO_HASH|INIT_CWD)$/;

export async function openSession(base: NodeJS.ProcessEnv, { mongo = false } = {}): Promise<Session> {
  const dir = mkdtempSync(join(tmpdir(), "zto-docs-"));
  // nginx's workers drop root for an unprivileged user, who must reach the session's folders
  chmodSync(dir, 0o755);
  const ports = { app: await freePort(), nginx: await freePort(), redis: await freePort() };
  const httpie = join(dir, "httpie");
  mkdirSync(httpie);
  // as in a terminal: the status line and headers too (a pipe gets the body alone), and no body from stdin
  writeFileSync(
    join(httpie, "config.json"),
    JSON.stringify({ default_options: ["--print=hb", "--ignore-stdin"] }),
  );
  // curl prints no progress meter to a terminal; to a pipe it would, all over the output
  writeFileSync(join(dir, ".curlrc"), "no-progress-meter\n");
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(base).filter(([name]) => !NOT_INHERITED.test(name)),
  );
  if (env["NODE_ENV"] === "test") delete env["NODE_ENV"];
  Object.assign(env, {
    PORT: String(ports.app),
    HOST: "127.0.0.1",
    DB_PATH: join(dir, "todo.db"),
    REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
    EXPORT_DIR: join(dir, "exports"),
    HTTPIE_CONFIG_DIR: httpie,
    CURL_HOME: dir,
    TURBO_TELEMETRY_DISABLED: "1",
    NO_COLOR: "1",
  });

  let stopMongo = async () => {};
  let mongoUrl: string | undefined;
  if (mongo) {
    const started = await startTestMongo();
    if (started.skipped === undefined) {
      // a database of its own, dropped after: a MONGO_URL the user gave keeps its data
      const database = `zto_docs_${randomBytes(4).toString("hex")}`;
      mongoUrl = started.url.replace(/^(mongodb(?:\+srv)?:\/\/[^/?]+)\/?[^?]*/, `$1/${database}`);
      stopMongo = async () => {
        await dropDatabase(mongoUrl!).catch(() => {});
        await started.stop();
      };
    }
  }
  return {
    dir,
    ports,
    env,
    ...(mongoUrl ? { mongoUrl } : {}),
    close: async () => {
      await stopMongo();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function dropDatabase(url: string) {
  const { MongoClient } = await import("mongodb");
  const client = await new MongoClient(url, { serverSelectionTimeoutMS: 5_000 }).connect();
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

/**
 * A command as it runs in the session: the docs' ports moved to the session's, a MongoDB URL to the
 * session's database, the stage's SQLite file to the session's, curl's `-o FILE` into the session's
 * folder, and `redis-cli` to the session's Redis.
 */
export function rewrite(command: string, session: Session): string {
  const { app, nginx, redis } = session.ports;
  let text = command
    .replace(/:8000(?!\d)/g, `:${app}`)
    .replace(/:8888(?!\d)/g, `:${nginx}`)
    .replace(/(:|--port\s+)6379(?!\d)/g, `$1${redis}`)
    .replace(/(^|[\s'"=])\.data\/todo\.db(?=$|[\s'"])/g, `$1${session.env["DB_PATH"]}`)
    .replace(/(^|[;&|(]\s*)redis-cli(?=\s|$)/g, `$1redis-cli -p ${redis}`);
  if (session.mongoUrl) text = text.replace(/mongodb:\/\/localhost:27017(?:\/[\w-]*)?/g, session.mongoUrl);
  if (/(^|[;&|(]\s*)curl\s/.test(text)) {
    text = text.replace(/(\s-o\s+)([^\s/'"][^\s'"]*)/g, (_, flag: string, file: string) =>
      isAbsolute(file) || file === "/dev/null" ? `${flag}${file}` : `${flag}${join(session.dir, file)}`,
    );
  }
  return text;
}

/** A redis-server started by a block: on the session's port, keeping nothing on disk but in the session. */
export const redisServerArgs = (session: Session) =>
  ` --port ${session.ports.redis} --save '' --appendonly no --dir ${session.dir}`;

/**
 * Where `npm run nginx` runs: a folder with the stage's package.json and its nginx.conf moved to the
 * session's ports, so the script and the config are the stage's own and `.data/nginx` lands here.
 */
export function nginxFolder(session: Session, stageDir: string): string {
  const folder = join(session.dir, `nginx-${basename(stageDir)}`);
  mkdirSync(folder, { recursive: true, mode: 0o755 });
  copyFileSync(join(stageDir, "package.json"), join(folder, "package.json"));
  const config = readFileSync(join(stageDir, "nginx.conf"), "utf8");
  writeFileSync(
    join(folder, "nginx.conf"),
    nginxConfigOn(config, { listen: session.ports.nginx, upstream: session.ports.app }),
  );
  return folder;
}

/** Whether a program is on the PATH of `env`. */
export function onPath(program: string, env: NodeJS.ProcessEnv): boolean {
  return (env["PATH"] ?? "").split(delimiter).some((dir) => {
    try {
      const file = join(dir, program);
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
