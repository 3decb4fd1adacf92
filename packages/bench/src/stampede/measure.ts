import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { createProgress } from "@zero-to-one/server-kit";
import {
  type ServerProcess,
  type TestRedis,
  requestOnce,
  startServer,
  startTestRedis,
} from "@zero-to-one/test-kit";
import { type HalvesOptions, type HalvesRecord, measureInHalves, startRecord } from "../halves.js";
import { round2 } from "../results.js";
import { settle } from "../settle.js";
import { type Skipped, discoverStages } from "../targets.js";
import { autocannonTool } from "../tools/autocannon.js";

/** CACHE_PROTECTION: stage 06 as it is, and the naive cache the article starts from. */
export const CONDITIONS = ["on", "off"] as const;
export type Condition = (typeof CONDITIONS)[number];

/**
 * What is loaded: the first page while it expires every few hundred milliseconds (the stampede),
 * and two kinds of requests for todos that do not exist (penetration): one unknown id over and
 * over, and a new unknown id every time.
 */
export const PARTS = ["expiring-page", "unknown-id", "new-ids"] as const;
export type Part = (typeof PARTS)[number];

/** Where stage 06 keeps its first page in Redis (its default namespace). */
const PAGE_KEY = "zto:first-page:page";
/** How often the page's `fresh_until` is read from Redis to learn when each copy expired. */
const WATCH_EVERY_SEC = 0.01;
/** Requests in flight within this long after an expiry are the ones a stampede can delay. */
export const AROUND_MS = 25;

export interface StampedeOptions extends HalvesOptions {
  rows: number;
  workers: number;
  /** CACHE_FRESH_MS: how long each rebuilt first page stays fresh. */
  lifetimeMs: number;
}

/** One part under one condition in one round: its two halves together. */
export interface StampedeRun {
  round: number;
  condition: Condition;
  part: Part;
  requests: number;
  durationSec: number;
  requestsPerSec: number;
  halvesPerSec: [number, number];
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors, timeouts, and answers other than the part's (200 for the page, 404 for the ids). */
  errors: number;
  /** Store reads the workers made for these requests, from the counters in their /healthz. */
  storeReads: number;
  /** The page only: how many copies expired while the load ran (seen in Redis). */
  expiries?: number;
  /** The page only: the requests in flight within AROUND_MS after an expiry, and their p99. */
  aroundExpiry?: { requests: number; p99Ms: number | null };
}

export interface ServerStart {
  condition: Condition;
  round: number;
  half: 1 | 2;
  startup: string;
}

export interface StampedeMeasurement extends HalvesRecord {
  settings: HalvesRecord["settings"] & {
    rows: number;
    workers: number;
    lifetimeMs: number;
    aroundMs: number;
  };
  starts: ServerStart[];
  failures: Skipped[];
  runs: StampedeRun[];
}

/** One half of a run: what the load tool and the server's counters saw. */
interface Half {
  requests: number;
  durationSec: number;
  latencies: number[];
  ends: number[];
  errors: number;
  storeReads: number;
  expiryTimes: number[];
}

const now = () => performance.timeOrigin + performance.now();

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Each worker's counters, from its /healthz, asked on new connections until every worker answered. */
async function counters(url: string, workers: number) {
  const seen = new Map<number, { page: number; ids: number }>();
  for (let tries = 0; seen.size < workers; tries++) {
    if (tries > 200) throw new Error(`only ${seen.size} of ${workers} workers answered /healthz`);
    const body = JSON.parse((await requestOnce(`${url}/healthz`)).body) as {
      worker: { pid: number };
      cache?: { firstPage: { storeReads: number }; notFound: { storeReads: number } };
    };
    if (!body.cache) throw new Error("/healthz has no cache counters: is this stage 06 or later?");
    seen.set(body.worker.pid, { page: body.cache.firstPage.storeReads, ids: body.cache.notFound.storeReads });
  }
  return seen;
}

const readsBetween = (
  before: Map<number, { page: number; ids: number }>,
  after: Map<number, { page: number; ids: number }>,
  which: "page" | "ids",
) => [...after].reduce((sum, [pid, c]) => sum + c[which] - (before.get(pid)?.[which] ?? 0), 0);

/**
 * The expiry of each copy of the page, from the `fresh_until` values seen in Redis. Without
 * protection several readers rebuild after one expiry, each storing its own `fresh_until` a moment
 * apart: values closer than half a lifetime belong to one copy, which expires at the last of them
 * (the one readers kept).
 */
export function copiesOf(values: Iterable<number>, lifetimeMs: number): number[] {
  const copies: number[] = [];
  for (const value of [...values].sort((a, b) => a - b)) {
    if (copies.length > 0 && value - copies.at(-1)! <= lifetimeMs / 2) copies[copies.length - 1] = value;
    else copies.push(value);
  }
  return copies;
}

/**
 * Reads the page's `fresh_until` from Redis every 10 ms (one `redis-cli -r -1`), so the bench
 * knows when each copy expired without asking the server anything.
 */
function watchExpiries(redisUrl: string) {
  const values = new Set<number>();
  const child: ChildProcess = spawn(
    "redis-cli",
    ["-u", redisUrl, "-r", "-1", "-i", String(WATCH_EVERY_SEC), "HGET", PAGE_KEY, "fresh_until"],
    { stdio: ["ignore", "pipe", "ignore"] },
  );
  let rest = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split("\n");
    rest = lines.pop() ?? "";
    for (const line of lines) if (/^\d+$/.test(line.trim())) values.add(Number(line));
  });
  return {
    /** When each copy of the page expired, from what was seen so far. */
    expiries: (lifetimeMs: number) => copiesOf(values, lifetimeMs),
    stop: () => void child.kill(),
  };
}

/**
 * GET `path` (or a new path from it for every request) on `connections` connections for `seconds`,
 * keeping every answer's end time and latency.
 */
async function load(
  url: string,
  path: string | (() => string),
  { seconds, connections, expected }: { seconds: number; connections: number; expected: number },
) {
  const latencies: number[] = [];
  const ends: number[] = [];
  let unexpected = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        requests: [
          typeof path === "string"
            ? { method: "GET", path }
            : { method: "GET", setupRequest: (request) => ({ ...request, path: path() }) },
        ],
      },
      (error: unknown, done) => (error ? reject(error as Error) : resolve(done)),
    );
    instance.on("response", (_client, status, _bytes, responseTime) => {
      ends.push(now());
      latencies.push(responseTime);
      if (status !== expected) unexpected++;
    });
  });
  return {
    requests: result.requests.total,
    durationSec: result.duration,
    latencies,
    ends,
    errors: result.errors + result.timeouts + unexpected,
  };
}

/** The requests in flight at some moment within `aroundMs` after an expiry: their latencies. */
export function aroundExpiries(half: Pick<Half, "latencies" | "ends">, expiries: number[], aroundMs: number) {
  const sorted = [...expiries].sort((a, b) => a - b);
  const picked: number[] = [];
  half.ends.forEach((end, i) => {
    const latency = half.latencies[i]!;
    // the latest expiry before this answer ended; the request overlapped its window if it began before it closed
    let lo = 0;
    let hi = sorted.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! <= end) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0 && end - latency <= sorted[found]! + aroundMs) picked.push(latency);
  });
  return picked;
}

/** A run from its two halves: latency percentiles over every answer of both. */
function combine(
  first: Half,
  second: Half,
  { round, condition, part }: Pick<StampedeRun, "round" | "condition" | "part">,
) {
  const latencies = [...first.latencies, ...second.latencies];
  const requests = first.requests + second.requests;
  const durationSec = first.durationSec + second.durationSec;
  const run: StampedeRun = {
    round,
    condition,
    part,
    requests,
    durationSec,
    requestsPerSec: round2(requests / Math.max(durationSec, 1e-9)),
    halvesPerSec: [first, second].map((h) => round2(h.requests / Math.max(h.durationSec, 1e-9))) as [
      number,
      number,
    ],
    p50Ms: percentile(latencies, 0.5) ?? 0,
    p99Ms: percentile(latencies, 0.99) ?? 0,
    maxMs: percentile(latencies, 1) ?? 0,
    errors: first.errors + second.errors,
    storeReads: first.storeReads + second.storeReads,
  };
  if (part === "expiring-page") {
    const around = [
      ...aroundExpiries(first, first.expiryTimes, AROUND_MS),
      ...aroundExpiries(second, second.expiryTimes, AROUND_MS),
    ];
    run.expiries = first.expiryTimes.length + second.expiryTimes.length;
    run.aroundExpiry = { requests: around.length, p99Ms: percentile(around, 0.99) };
  }
  return run;
}

/**
 * Stage 06 with CACHE_PROTECTION=on and =off, started in turn on one seeded SQLite file and one
 * Redis, in ABBA halves (src/order.ts): each round starts A, B, B, A, and every start measures
 * each part for half the duration. The page's lifetime is CACHE_FRESH_MS, so it expires many times
 * while the load runs; the store reads come from each worker's /healthz counters.
 */
export async function measureStampede(options: StampedeOptions): Promise<StampedeMeasurement> {
  const { halfSec, done: record } = startRecord(options);
  const { log } = options;
  const [stage] = discoverStages([6]).stages;
  if (!stage) throw new Error("stage 06 is not built (run npm run build)");
  if (spawnSync("redis-cli", ["--version"]).error) {
    throw new Error("redis-cli is not installed (it comes with redis-server: apt-get install redis-server)");
  }
  const startedRedis = await startTestRedis();
  if (!startedRedis.redis) throw new Error(`it needs Redis: ${startedRedis.skipped}`);
  const redis: TestRedis = startedRedis.redis;
  const dir = mkdtempSync(join(tmpdir(), "zto-stampede-"));
  const env = { DB_PATH: join(dir, "todo.db"), REDIS_URL: redis.url, MONGO_URL: "" };
  let server: ServerProcess | undefined;
  const interrupt = () => {
    log("interrupted: stopping the server under test");
    void Promise.allSettled([server?.stop(), redis.stop()]).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  const starts: ServerStart[] = [];

  /** One start of stage 06 under `condition`: every part loaded for half the duration. */
  const measureStart = async (condition: Condition, { round, half }: { round: number; half: 1 | 2 }) => {
    const running = await startServer({
      cwd: stage.dir,
      env: {
        ...env,
        WORKERS: String(options.workers),
        CACHE_PROTECTION: condition,
        CACHE_FRESH_MS: String(options.lifetimeMs),
      },
      timeoutMs: 30_000,
    });
    server = running;
    const halves = {} as Record<Part, Half>;
    try {
      const deadline = Date.now() + 30_000;
      while (!/listening on/.test(running.output()) && Date.now() < deadline) await settleFor(50);
      const startup =
        running
          .output()
          .split("\n")
          .find((l) => /listening on/.test(l)) ?? "";
      starts.push({ condition, round, half, startup: startup.trim() });
      if (options.warmupSec > 0) {
        await autocannonTool.run({
          baseUrl: running.url,
          scenario: "list",
          facts: { rows: options.rows, deepStart: 0, deepCursor: null, ids: [] },
          requests: [{ method: "GET", path: "/todo" }],
          connections: options.connections,
          durationSec: options.warmupSec,
        });
        await settle(running.url, "/todo");
      }
      const unknown = randomUUID(); // new for every start: nothing remembered from before
      const paths: Record<Part, string | (() => string)> = {
        "expiring-page": "/todo",
        "unknown-id": `/todo/${unknown}`,
        "new-ids": () => `/todo/${randomUUID()}`,
      };
      for (const part of PARTS) {
        const watcher = part === "expiring-page" ? watchExpiries(redis.url) : undefined;
        try {
          // a fresh copy as the load begins: every expiry counted is one that happened under load
          if (part === "expiring-page") await (await fetch(`${running.url}/todo`)).arrayBuffer();
          const before = await counters(running.url, options.workers);
          const from = now();
          const measured = await load(running.url, paths[part], {
            seconds: halfSec,
            connections: options.connections,
            expected: part === "expiring-page" ? 200 : 404,
          });
          const to = now();
          const after = await counters(running.url, options.workers);
          halves[part] = {
            ...measured,
            storeReads: readsBetween(before, after, part === "expiring-page" ? "page" : "ids"),
            expiryTimes: (watcher?.expiries(options.lifetimeMs) ?? []).filter((t) => t > from && t <= to),
          };
          if (measured.requests === 0) throw new Error(`${part}: no answer within ${halfSec} s`);
        } finally {
          watcher?.stop();
        }
        await settle(running.url, "/todo");
      }
    } catch (error) {
      await running.stop();
      server = undefined;
      throw error;
    }
    const code = await running.stop();
    server = undefined;
    if (code !== 0) throw new Error(`exited with ${code} on SIGTERM`);
    return halves;
  };

  try {
    const seed = spawnSync(process.execPath, ["dist/seed.js", "--count", String(options.rows), "--reset"], {
      cwd: stage.dir,
      env: { ...process.env, ...env },
      encoding: "utf8",
      timeout: 300_000,
    });
    if (seed.status !== 0)
      throw new Error(`seeding stage 06 failed (${seed.status}):\n${seed.stdout}${seed.stderr}`);

    const progress = createProgress("stampede", options.rounds * 2 * CONDITIONS.length);
    const { pairs, failures } = await measureInHalves({
      items: CONDITIONS,
      rounds: options.rounds,
      idOf: (condition) => condition,
      progress: (done, what) => progress.update(done, what),
      onFailure: (condition, reason) => log(`failed protection ${condition}: ${reason}`),
      measure: measureStart,
    });
    progress.finish();
    const runs = pairs.flatMap(({ round, item: condition, halves: [first, second] }) =>
      PARTS.map((part) => combine(first[part], second[part], { round, condition, part })),
    );
    const { settings, ...rest } = record();
    return {
      ...rest,
      settings: {
        ...settings,
        rows: options.rows,
        workers: options.workers,
        lifetimeMs: options.lifetimeMs,
        aroundMs: AROUND_MS,
      },
      starts,
      failures,
      runs,
    };
  } finally {
    process.off("SIGINT", interrupt);
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const settleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
