import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProgress } from "@zero-to-one/server-kit";
import { startServer } from "@zero-to-one/test-kit";
import { type HalvesOptions, type HalvesRecord, measureInHalves, startRecord } from "../halves.js";
import { addHalves } from "../results.js";
import type { Measurement } from "../scenarios.js";
import { settle } from "../settle.js";
import { type Skipped, discoverStages, packageDir, seedStore } from "../targets.js";
import { autocannonTool } from "../tools/autocannon.js";

/** The two answers compared: every todo, and the first page of ten, from one server. */
export const REQUESTS = [
  { id: "all", path: "/todo?all=1" },
  { id: "page", path: "/todo" },
] as const;
export type RequestId = (typeof REQUESTS)[number]["id"];

export interface PagingOptions extends HalvesOptions {
  /** Todos stage 03's seed script writes into the SQLite file. */
  rows: number;
}

export interface PagingRun extends Measurement {
  round: number;
  request: RequestId;
  halvesPerSec?: [number, number];
}

/** One answer as the server gave it before the load: how many todos, how many bytes. */
export interface Answer {
  request: RequestId;
  path: string;
  todos: number;
  bytes: number;
}

export interface PagingMeasurement extends HalvesRecord {
  settings: HalvesRecord["settings"] & { rows: number };
  startup: string;
  seedSec: number;
  answers: Answer[];
  failures: Skipped[];
  runs: PagingRun[];
}

async function answerOf(url: string, request: (typeof REQUESTS)[number]): Promise<Answer> {
  const res = await fetch(`${url}${request.path}`);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${request.path} answered ${res.status}`);
  const { data } = JSON.parse(body.toString()) as { data: unknown[] };
  return { request: request.id, path: request.path, todos: data.length, bytes: body.length };
}

/**
 * Seeds a SQLite file with stage 03's own seed script, starts the paging reference server on it
 * (src/reference/paging.ts), checks both answers, then measures them round after round in ABBA
 * halves: the same server and store, so the difference is the page alone.
 */
export async function measurePaging(options: PagingOptions): Promise<PagingMeasurement> {
  const { tool, log } = options;
  const { halfSec, done: record } = startRecord(options);
  const dir = mkdtempSync(join(tmpdir(), "zto-paging-"));
  const failures: Skipped[] = [];
  const answers: Answer[] = [];
  const runs: PagingRun[] = [];
  let startup = "";
  let seedSec = 0;
  const load = (url: string, path: string, durationSec: number) => ({
    baseUrl: url,
    scenario: "list",
    facts: { rows: options.rows, deepStart: 0, deepCursor: null, ids: [] },
    requests: [{ method: "GET" as const, path }],
    connections: options.connections,
    durationSec,
  });
  const done = (): PagingMeasurement => {
    const { settings, ...rest } = record();
    return {
      ...rest,
      settings: { ...settings, rows: options.rows },
      startup,
      seedSec,
      answers,
      failures,
      runs,
    };
  };

  try {
    const [stage] = discoverStages([3]).stages;
    if (!stage) {
      failures.push({ id: "03-mongo", reason: "stage 03 is not built (run npm run build)" });
      return done();
    }
    const env = { DB_PATH: join(dir, "todo.db"), MONGO_URL: "" };
    const seeding = Date.now();
    seedStore(stage.dir, options.rows, env, "stage 03");
    seedSec = (Date.now() - seeding) / 1000;
    const server = await startServer({
      cwd: packageDir,
      entry: "dist/reference/paging.js",
      env,
      timeoutMs: 30_000,
    });
    try {
      startup = server.output().split("\n")[0] ?? "";
      for (const request of REQUESTS) answers.push(await answerOf(server.url, request));
      const expected = { all: options.rows, page: Math.min(10, options.rows) };
      for (const answer of answers) {
        if (answer.todos !== expected[answer.request]) {
          throw new Error(
            `GET ${answer.path} answered ${answer.todos} todos, not ${expected[answer.request]}`,
          );
        }
      }
      if (options.warmupSec > 0) {
        for (const { path } of REQUESTS) await autocannonTool.run(load(server.url, path, options.warmupSec));
      }
      await settle(server.url, "/index");

      const progress = createProgress("paging", REQUESTS.length * options.rounds * 2);
      const measured = await measureInHalves({
        items: REQUESTS,
        rounds: options.rounds,
        idOf: (request) => request.id,
        progress: (count, what) => progress.update(count, what),
        onFailure: (item, reason) => log(`failed ${item.id}: ${reason}`),
        measure: async ({ path }) => {
          const result = await tool.run(load(server.url, path, halfSec));
          if (!(await settle(server.url, "/index"))) throw new Error("still busy a minute after the load");
          if (result.requests === 0) throw new Error(`no answer to GET ${path} within ${halfSec} s`);
          return result;
        },
      });
      progress.finish();
      failures.push(...measured.failures);
      for (const { round, item, halves } of measured.pairs) {
        runs.push({ round, request: item.id, ...addHalves(...halves) });
      }
    } finally {
      const code = await server.stop();
      if (code !== 0) failures.push({ id: "server", reason: `exited with ${code} on SIGTERM` });
    }
    return done();
  } catch (error) {
    failures.push({ id: "server", reason: (error as Error).message.split("\n")[0]! });
    log(`failed: ${failures.at(-1)!.reason}`);
    return done();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
