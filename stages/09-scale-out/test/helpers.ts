import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { SEED_PASSWORD } from "./cluster.js";

export const stageDir = new URL("..", import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Lines like `export <id> completed: …`, one per job this process finished. */
  completed: () => string[];
  exited: Promise<number | null>;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** `npm run worker` as a real process; resolves once it has printed its start-up line. */
export async function startWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["dist/worker.js"], {
    cwd: stageDir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const deadline = Date.now() + 15_000;
  while (!log.includes("worker taking")) {
    if (child.exitCode !== null) throw new Error(`worker exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`worker did not start:\n${log}`);
    }
    await sleep(25);
  }
  return {
    child,
    output: () => log,
    completed: () => log.split("\n").filter((line) => / completed: /.test(line)),
    exited,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns a value (not undefined) or the time is up. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A strict RFC 4180 reader, independent of the writer under test: rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === "\n" || text[i] === '"') throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
        field += text[i++];
      }
    }
    row.push(field);
    if (text[i] === ",") {
      i++;
    } else if (text.startsWith("\r\n", i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else if (i < text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
    }
  }
  if (row.length > 0) throw new Error("the last row has no line ending: the file is cut short");
  return rows;
}

export interface JobView {
  id: string;
  state: string;
  progress: { rows: number; total: number; percent: number };
  attempts: number;
  max_attempts: number;
  finished_at: number | null;
  result_url: string | null;
  failed_reason: string | null;
}

/**
 * `npm run seed -- --count N` against the SQLite file at `dbPath`, as a learner runs it: the todos of
 * the account `demo`, made with the password SEED_PASSWORD (see signInAsSeeded).
 */
export function seedTodos(dbPath: string, count: number) {
  const seeded = spawnSync(process.execPath, ["dist/seed.js", "--count", String(count)], {
    cwd: stageDir,
    env: { ...process.env, DB_PATH: dbPath, MONGO_URL: "", SEED_PASSWORD },
    encoding: "utf8",
  });
  if (seeded.status !== 0) throw new Error(`seeding failed:\n${seeded.stdout}${seeded.stderr}`);
}
