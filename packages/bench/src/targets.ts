import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type TestRedis, startServer, startTestRedis } from "@zero-to-one/test-kit";
import { runs, startCommand } from "./command.js";
import { gatherFacts } from "./facts.js";
import { type Facts, SCENARIOS, type ScenarioName, deepStartFor } from "./scenarios.js";
import { databaseFor, dropDatabase, withDatabase } from "./store.js";

/** A server the tour measures: one of the stages, or a reference server that marks the ceiling. */
export interface Target {
  /** "01-hello", "ref-hello", … */
  id: string;
  label: string;
  kind: "stage" | "reference";
  /** The stage number; 0 for reference servers. */
  stage: number;
  dir: string;
  /** The built script node runs, relative to dir… */
  entry: string;
  /** …or, for the Flask references, the program and its arguments (`{port}` is filled in). */
  command?: string[];
  /** A stage whose seed script fills this reference's SQLite file (DB_PATH) before it starts. */
  seedFrom?: string;
  scenarios: ScenarioName[];
}

export interface Skipped {
  id: string;
  reason: string;
}

/** Stops every server in `live`, emptying it; a server that fails to stop goes to `failures`. */
export async function stopEvery(
  live: Map<string, { stop: () => Promise<void> }>,
  failures: Skipped[],
  log: (line: string) => void,
) {
  for (const [id, server] of live) {
    live.delete(id);
    try {
      await server.stop();
    } catch (error) {
      failures.push({ id, reason: (error as Error).message });
      log(`failed ${id}: ${(error as Error).message}`);
    }
  }
}

/** A target's server, started, seeded and ready for load. */
export interface Running {
  url: string;
  /** The server's process (a cluster's primary: its workers are its children). */
  pid: number;
  facts: Facts;
  /** The server's own start-up line (URL, store, workers); a cluster prints it once all workers listen. */
  startup: () => string;
  /** Scenarios this server cannot run, with the reason (a stage whose paging has no cursor yet). */
  unsupported: Map<string, string>;
  /** Seconds spent seeding (0 when the target holds no data). */
  seedSec: number;
  /** The settings the server got (DB_PATH, REDIS_URL, EXPORT_DIR…): a queue worker needs the same. */
  env: Record<string, string>;
  /** Sent with every request: a signed-in client's bearer token (stage 08 on), else nothing. */
  headers: Record<string, string>;
  stop: () => Promise<void>;
}

export const packageDir = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
export const repoRoot = join(packageDir, "..", "..");

export function referenceTargets(): Target[] {
  return [
    {
      id: "ref-hello",
      label: "raw node:http hello",
      kind: "reference",
      stage: 0,
      dir: packageDir,
      entry: "dist/reference/hello.js",
      scenarios: ["hello"],
    },
    {
      id: "ref-page",
      label: "raw node:http page",
      kind: "reference",
      stage: 0,
      dir: packageDir,
      entry: "dist/reference/page.js",
      scenarios: ["list"],
    },
  ];
}

/** A program the Flask references need and do not find: the skip's id and reason, the rows it leaves out. */
export interface FlaskMissing {
  id: "flask" | "flask-gevent";
  program: string;
  reason: string;
  leavesOut: string;
}

/**
 * The article's stack as more reference servers, when Flask and gunicorn are installed (Debian:
 * `apt-get install python3-flask gunicorn python3-gevent`): Flask's development server, gunicorn
 * with the usual (2 × cores) + 1 sync workers, and as many gevent workers. The article's async
 * workers were meinheld's, which Debian does not package; gevent is the async worker it ships.
 * All of them answer the todos stage 03's seed script writes (`seedFrom`).
 */
export function flaskTargets(): { targets: Target[]; missing?: FlaskMissing } {
  const python = ["python3", "/usr/bin/python3"].find((p) => runs(p, ["-c", "import flask"]));
  if (!python) {
    const reason = "Flask is not installed (apt-get install python3-flask gunicorn)";
    const leavesOut = "the Flask rows (the article's stack)";
    return { targets: [], missing: { id: "flask", program: "Flask", reason, leavesOut } };
  }
  const dir = join(packageDir, "flask");
  const flaskDev: Target = {
    id: "flask-dev",
    label: "Flask dev server",
    kind: "reference",
    stage: 0,
    dir,
    entry: "app.py",
    command: [python, "app.py"],
    seedFrom: join(repoRoot, "stages", "03-mongo"),
    scenarios: ["hello", "list"],
  };
  if (!runs("gunicorn", ["--version"])) {
    const reason = "gunicorn is not installed (apt-get install gunicorn)";
    const leavesOut = "the Flask + gunicorn rows";
    return { targets: [flaskDev], missing: { id: "flask", program: "gunicorn", reason, leavesOut } };
  }
  const workers = 2 * availableParallelism() + 1;
  const gunicorn = (workerClass: "sync" | "gevent"): Target => ({
    ...flaskDev,
    id: workerClass === "sync" ? "flask-gunicorn" : "flask-gevent",
    label: `Flask + gunicorn (${workers} ${workerClass} workers)`,
    command: [
      ...["gunicorn", "--worker-class", workerClass, "--workers", String(workers)],
      ...["--bind", "127.0.0.1:{port}", "app:app"],
    ],
  });
  if (!runs(gunicornPython() ?? python, ["-c", "import gevent"])) {
    const reason = "python3-gevent is not installed (apt-get install python3-gevent)";
    const leavesOut = "the Flask + gunicorn gevent row";
    const missing = { id: "flask-gevent" as const, program: "python3-gevent", reason, leavesOut };
    return { targets: [flaskDev, gunicorn("sync")], missing };
  }
  return { targets: [flaskDev, gunicorn("sync"), gunicorn("gevent")] };
}

/**
 * The python gunicorn's workers run in, which must import gevent for the gevent row: the one its
 * script's `#!` line names (Debian's gunicorn: /usr/bin/python3, whatever python3 is first on PATH).
 */
function gunicornPython(): string | undefined {
  const script = spawnSync("sh", ["-c", "command -v gunicorn"], { encoding: "utf8" }).stdout?.trim();
  if (!script) return undefined;
  try {
    const line = readFileSync(script, "utf8").split("\n", 1)[0] ?? "";
    const words = line.startsWith("#!") ? line.slice(2).trim().split(/\s+/) : [];
    const program = words[0] && basename(words[0]) === "env" ? words[1] : words[0];
    return program && basename(program).startsWith("python") ? program : undefined;
  } catch {
    return undefined;
  }
}

/** Every stage of the repository, built or not: "01-hello", "02-memory", … in order. */
export function stageNames(stagesDir = join(repoRoot, "stages")): string[] {
  return readdirSync(stagesDir)
    .filter((name) => /^\d\d-/.test(name) && existsSync(join(stagesDir, name, "package.json")))
    .sort();
}

/** The first stage whose API answers only a signed-in client (stage 08's accounts). */
export const SIGNED_IN_FROM = 8;

/**
 * The stages that exist and are built (`stages/NN-name/dist/server.js`), in order. Stages that are
 * not built yet are not in the tour; a built 03+ stage without `dist/seed.js` is skipped with a reason.
 */
export function discoverStages(
  only?: number[],
  stagesDir = join(repoRoot, "stages"),
): { stages: Target[]; skipped: Skipped[] } {
  const stages: Target[] = [];
  const skipped: Skipped[] = [];
  for (const name of stageNames(stagesDir)) {
    const dir = join(stagesDir, name);
    const stage = Number(name.slice(0, 2));
    if (only && !only.includes(stage)) continue;
    if (!existsSync(join(dir, "dist", "server.js"))) continue;
    if (stage >= 3 && !existsSync(join(dir, "dist", "seed.js"))) {
      skipped.push({ id: name, reason: "it has no dist/seed.js to load the same data" });
      continue;
    }
    stages.push({
      id: name,
      label: name,
      kind: "stage",
      stage,
      dir,
      entry: "dist/server.js",
      scenarios: SCENARIOS.filter((s) => s.fromStage <= stage && stage <= (s.toStage ?? Infinity)).map(
        (s) => s.name,
      ),
    });
  }
  for (const wanted of only ?? []) {
    const id = String(wanted).padStart(2, "0");
    if (!stages.some((s) => s.stage === wanted) && !skipped.some((s) => s.id.startsWith(id))) {
      skipped.push({ id, reason: `there is no built stage ${id} (run npm run build)` });
    }
  }
  return { stages, skipped };
}

export interface LaunchOptions {
  rows: number;
  workers: number;
  /** A MongoDB-wire server for stages 03+ (--store mongo), else SQLite. Each stage gets its own database. */
  mongoUrl?: string;
}

/** Why a Redis stage cannot run here, or undefined when it can. Asked once per tour. */
export async function redisProblem(): Promise<string | undefined> {
  const probe = await startTestRedis();
  if (probe.redis) await probe.redis.stop();
  return probe.skipped;
}

/**
 * Starts a target the way a learner would: 03+ seeded first with the stage's own seed script into
 * a fresh SQLite file (or, with --store mongo, a database of its own on that server, dropped when
 * the target stops), the Flask references with stage 03's seed script into theirs, 02 seeded over
 * HTTP because it keeps todos in memory, 05+ with WORKERS, 06+ with REDIS_URL or a throwaway
 * redis-server, 07+ with an EXPORT_DIR in the same temporary folder. From SIGNED_IN_FROM (08) on,
 * every todo belongs to a user: the seed gives its todos to an account of the tour's, whose bearer
 * token then goes with every request; that stage's Redis asks for a password, as it must there, and
 * its per-user rate limit is set as high as it goes, so every request pays for the check and none is
 * refused.
 */
export async function launch(target: Target, options: LaunchOptions): Promise<Running> {
  const dataDir = mkdtempSync(join(tmpdir(), `zto-bench-${target.id}-`));
  const mongoUrl =
    options.mongoUrl && target.stage >= 3 ? withDatabase(options.mongoUrl, databaseFor(target.id)) : "";
  // MONGO_URL="" keeps a learner's MongoDB out of the tour unless --store mongo asks for a server
  const env: Record<string, string> = { DB_PATH: join(dataDir, "todo.db"), MONGO_URL: mongoUrl };
  let redis: TestRedis | undefined;
  const cleanUp = async () => {
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (mongoUrl) await dropDatabase(mongoUrl);
  };
  try {
    if (target.stage >= 5) env["WORKERS"] = String(options.workers);
    const signedIn = target.stage >= SIGNED_IN_FROM;
    if (target.stage >= 6) {
      const started = await startTestRedis({ requirePassword: signedIn });
      if (!started.redis) throw new Error(started.skipped);
      redis = started.redis;
      env["REDIS_URL"] = started.redis.url;
    }
    // 07+: finished exports go to the temporary folder too, not into the stage's .data/
    if (target.stage >= 7) env["EXPORT_DIR"] = join(dataDir, "exports");
    if (signedIn) {
      env["SEED_PASSWORD"] = randomBytes(18).toString("base64url");
      env["RATE_LIMIT_API"] = "1000000/1000000";
    }
    let seedSec = 0;
    const seedStarted = Date.now();
    const seedDir = target.stage >= 3 ? target.dir : target.seedFrom;
    if (seedDir) {
      seedStore(seedDir, options.rows, env, target.id, signedIn ? ["--user", TOUR_USER] : []);
      seedSec = (Date.now() - seedStarted) / 1000;
    }
    const server = target.command
      ? await startCommand(target.command[0]!, target.command.slice(1), {
          cwd: target.dir,
          env,
          logDir: dataDir,
        })
      : await startServer({ cwd: target.dir, entry: target.entry, env, timeoutMs: 30_000 });
    try {
      if (target.stage === 2) {
        await seedOverHttp(server.url, options.rows);
        seedSec = (Date.now() - seedStarted) / 1000;
      }
      const headers = signedIn ? await bearerFor(server.url, TOUR_USER, env["SEED_PASSWORD"]!) : {};
      const { facts, noKeyset } =
        target.kind === "stage"
          ? await gatherFacts(server.url, target.stage, options.rows, headers)
          : {
              facts: { rows: options.rows, deepStart: deepStartFor(options.rows), deepCursor: null, ids: [] },
            };
      return {
        url: server.url,
        pid: "pid" in server ? server.pid : server.child.pid!,
        facts,
        unsupported: new Map(noKeyset ? [["list-deep-keyset", noKeyset]] : []),
        startup: () => startupLine(server.output()),
        seedSec,
        env,
        headers,
        stop: async () => {
          const code = await server.stop();
          await cleanUp();
          if (code !== 0) throw new Error(`${target.id} exited with ${code} on SIGTERM:\n${server.output()}`);
        },
      };
    } catch (error) {
      await server.stop("SIGKILL");
      throw error;
    }
  } catch (error) {
    await cleanUp().catch(() => {}); // the first error is the one to report
    throw error;
  }
}

/** The account whose todos the tour seeds and reads from stage 08 on. */
const TOUR_USER = "tour";

/** Signs in as a client of the API does (`POST /tokens`), for the header every request then sends. */
async function bearerFor(url: string, username: string, password: string) {
  const res = await fetch(`${url}/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json().catch(() => ({}))) as { token?: string; error?: { message?: string } };
  if (res.status !== 201 || !body.token) {
    throw new Error(
      `signing in as ${username}: POST /tokens answered ${res.status}: ${body.error?.message ?? ""}`,
    );
  }
  return { authorization: `Bearer ${body.token}` };
}

/**
 * Fills the store `env` names (DB_PATH, or MONGO_URL when set) with `rows` todos, as a learner
 * does: the stage's own `dist/seed.js --count N --reset` (and `args`), run in the stage's folder.
 */
export function seedStore(
  stageDir: string,
  rows: number,
  env: Record<string, string>,
  what = stageDir,
  args: string[] = [],
) {
  if (!existsSync(join(stageDir, "dist", "seed.js"))) {
    throw new Error(`seeding ${what}: ${stageDir} has no dist/seed.js (run npm run build)`);
  }
  const seed = spawnSync(process.execPath, ["dist/seed.js", "--count", String(rows), "--reset", ...args], {
    cwd: stageDir,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 300_000,
  });
  if (seed.status !== 0) {
    throw new Error(`seeding ${what} failed (${seed.status}):\n${seed.stdout}${seed.stderr}`);
  }
}

/** Stage 02 keeps todos in memory, so the same rows go in through its own POST /todo. */
async function seedOverHttp(url: string, rows: number) {
  let next = 0;
  const worker = async () => {
    while (next < rows) {
      const n = next++;
      const res = await fetch(`${url}/todo`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `content=${encodeURIComponent(`todo number ${n + 1}`)}`,
      });
      if (res.status !== 201) throw new Error(`seeding over HTTP: POST /todo answered ${res.status}`);
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

function startupLine(output: string): string {
  const lines = output.split("\n").map((l) => l.trim());
  return lines.find((l) => /listening|Starting gunicorn|Running on/.test(l)) ?? lines.find(Boolean) ?? "";
}
