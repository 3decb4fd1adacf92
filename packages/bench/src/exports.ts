import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Condition, Measurement } from "./scenarios.js";

/**
 * The background load of `list-during-exports`: clients that export every todo, one export after
 * another, either through the stage's queue (a worker process does the work) or inline in the
 * request. The tour measures GET /todo with its load tool meanwhile.
 */

/** How often a client asks GET /jobs/:id whether its export is done. */
const POLL_MS = 100;
/** Exports get going before the measured window opens. */
const LEAD_MS = 500;

/** The queue worker could not start: the tour skips the queue condition with this one line. */
export class WorkerStartError extends Error {
  override name = "WorkerStartError";
}

export interface QueueWorker {
  /** What the worker printed when it was ready. */
  startup: string;
  /** SIGTERM, then waits for the exit; throws unless it exits with 0. */
  stop: () => Promise<void>;
}

const firstLine = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .find(Boolean);

/**
 * Starts the stage's `node dist/worker.js` with the API's own settings (REDIS_URL, DB_PATH,
 * EXPORT_DIR) and waits for its start-up line, which it prints once it takes jobs.
 */
export async function startQueueWorker(
  dir: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<QueueWorker> {
  if (!existsSync(join(dir, "dist", "worker.js"))) {
    throw new WorkerStartError("the stage has no dist/worker.js (run npm run build)");
  }
  const child = spawn(process.execPath, ["dist/worker.js"], {
    cwd: dir,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // it logs every export it completes: keep the start and the last words, not everything
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out = (out + chunk.toString()).slice(0, 4_000)));
  child.stderr.on("data", (chunk: Buffer) => (err = (err + chunk.toString()).slice(-4_000)));
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new WorkerStartError(`node dist/worker.js printed nothing within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      child.stdout.on("data", () => {
        if (out.includes("\n")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(new WorkerStartError(`node dist/worker.js could not run: ${error.message}`));
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(
          new WorkerStartError(
            `node dist/worker.js exited with ${code}: ${firstLine(err) ?? firstLine(out) ?? "no output"}`,
          ),
        );
      });
    });
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
    throw error;
  }
  return {
    startup: firstLine(out) ?? "",
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      // the worker finishes the exports in hand on SIGTERM; one export takes well under a second here
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const [code, signal] = await exited;
      clearTimeout(timer);
      if (code !== 0) {
        throw new Error(`the queue worker exited with ${code ?? signal} on SIGTERM: ${firstLine(err) ?? ""}`);
      }
    },
  };
}

interface ExportLoadResult {
  /** When each export completed (Date.now()). */
  completedAt: number[];
  errors: number;
  firstError?: string;
}

/** Lines in a CSV answer: a whole export has a header and one line per todo. */
const lines = (csv: string) => csv.split("\r\n").length - 1;

/**
 * `clients` clients, each running one export after another until stopped: `inline` posts
 * /todo/export?inline=1 and reads the CSV; `queue` posts /todo/export, polls /jobs/:id until the
 * job is completed, then downloads the file. Each export must hold every seeded todo. `headers` go
 * with every request (a signed-in client's token, stage 08 on).
 */
export function startExportLoad(
  baseUrl: string,
  mode: "queue" | "inline",
  clients: number,
  rows: number,
  headers: Record<string, string> = {},
) {
  const controller = new AbortController();
  const { signal } = controller;
  const result: ExportLoadResult = { completedAt: [], errors: 0 };
  const whole = (csv: string, what: string) => {
    if (lines(csv) < rows + 1) throw new Error(`${what} has ${lines(csv) - 1} todos, not ${rows}`);
  };

  const exportInline = async () => {
    const res = await fetch(`${baseUrl}/todo/export?inline=1`, { method: "POST", headers, signal });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`POST /todo/export?inline=1 answered ${res.status}: ${body}`);
    whole(body, "an inline export");
  };

  const exportOnQueue = async () => {
    const res = await fetch(`${baseUrl}/todo/export`, { method: "POST", headers, signal });
    if (res.status !== 202) throw new Error(`POST /todo/export answered ${res.status}: ${await res.text()}`);
    const { status_url } = (await res.json()) as { status_url: string };
    for (;;) {
      await sleep(POLL_MS, undefined, { signal });
      const job = (await (await fetch(baseUrl + status_url, { headers, signal })).json()) as {
        state?: string;
        result_url?: string | null;
        failed_reason?: string | null;
      };
      if (job.state === "failed") throw new Error(`${status_url} failed: ${job.failed_reason}`);
      if (job.state !== "completed" || !job.result_url) continue;
      const file = await fetch(baseUrl + job.result_url, { headers, signal });
      const body = await file.text();
      if (file.status !== 200) throw new Error(`GET ${job.result_url} answered ${file.status}: ${body}`);
      whole(body, `the file of ${status_url}`);
      return;
    }
  };

  const client = async () => {
    while (!signal.aborted) {
      try {
        await (mode === "inline" ? exportInline() : exportOnQueue());
        result.completedAt.push(Date.now());
      } catch (error) {
        if (signal.aborted) return;
        result.errors++;
        result.firstError ??= (error as Error).message.split("\n")[0]!.slice(0, 200);
        await sleep(200);
      }
    }
  };
  const running = Array.from({ length: clients }, client);

  return {
    /** Stops the clients at once (exports in flight are abandoned) and returns what they did. */
    stop: async (): Promise<ExportLoadResult> => {
      controller.abort();
      await Promise.all(running);
      return result;
    },
  };
}

export interface ExportRun {
  measurement: Measurement;
  /** Exports that completed inside the measured window. */
  exportsCompleted: number;
  exportErrors: number;
  firstExportError?: string;
  /** The queue worker's start-up line (queue only). */
  workerStartup?: string;
}

/**
 * One condition of `list-during-exports`: starts the worker (queue), starts the export clients
 * (queue, inline), lets them get going, runs `measure` (the load tool on GET /todo), and stops
 * everything it started. Throws WorkerStartError when the worker does not start.
 */
export async function measureDuringExports(options: {
  condition: Condition;
  baseUrl: string;
  /** The stage's folder and the API's settings, for the worker. */
  dir: string;
  env: Record<string, string>;
  /** Sent with every export request (a signed-in client's token, stage 08 on). */
  headers?: Record<string, string>;
  clients: number;
  rows: number;
  measure: () => Promise<Measurement>;
}): Promise<ExportRun> {
  const { condition } = options;
  let worker = condition === "queue" ? await startQueueWorker(options.dir, options.env) : undefined;
  try {
    const load =
      condition === "idle"
        ? undefined
        : startExportLoad(options.baseUrl, condition, options.clients, options.rows, options.headers);
    let measurement: Measurement;
    let opened: number;
    let closed: number;
    let done: ExportLoadResult | undefined;
    try {
      if (load) await sleep(LEAD_MS);
      opened = Date.now();
      measurement = await options.measure();
      closed = Date.now();
    } finally {
      done = await load?.stop();
    }
    const stopping = worker;
    worker = undefined;
    await stopping?.stop();
    return {
      measurement,
      exportsCompleted: done?.completedAt.filter((t) => t >= opened && t <= closed).length ?? 0,
      exportErrors: done?.errors ?? 0,
      ...(done?.firstError ? { firstExportError: done.firstError } : {}),
      ...(stopping ? { workerStartup: stopping.startup } : {}),
    };
  } finally {
    // measuring failed: the worker must not outlive the condition
    await worker?.stop().catch(() => {});
  }
}
