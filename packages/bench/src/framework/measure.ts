import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProgress } from "@zero-to-one/server-kit";
import { startServer } from "@zero-to-one/test-kit";
import { cpuSecondsOf, hasProc, ticksPerSec } from "../cpu.js";
import { type HalvesOptions, type HalvesRecord, measureInHalves, startRecord } from "../halves.js";
import { addHalves } from "../results.js";
import type { Measurement } from "../scenarios.js";
import { settle } from "../settle.js";
import { type Skipped, discoverStages, launch, packageDir, redisProblem, stopEvery } from "../targets.js";
import { autocannonTool } from "../tools/autocannon.js";
import { type FrameworkRow, ROWS, type RowId } from "./rows.js";

export interface FrameworkOptions extends HalvesOptions {
  /** Todos seeded into stage 06 (its first page is ten of them whatever the number). */
  rows: number;
}

/** One row in one round: its two halves added up, with the server's CPU time over both. */
export interface FrameworkRun extends Measurement {
  round: number;
  row: RowId;
  /** The server process measured: a fresh one every round. */
  pid: number;
  halvesPerSec?: [number, number];
  /** CPU seconds (user + system) of the server's processes in the two halves; absent without /proc. */
  cpuSec?: number;
  cpuUsPerRequest?: number;
}

/** What one row's server said and showed before it was measured. */
export interface RowStart {
  id: RowId;
  startup: string;
  /** Stage 06: the X-Cache header of one GET /todo after the warm-up, which must say `hit`. */
  check?: { "X-Cache": string };
  /** Why the row is not measured, when it is not. */
  skipped?: string;
  note?: string;
}

export interface FrameworkMeasurement extends HalvesRecord {
  settings: HalvesRecord["settings"] & { rows: number };
  /** Where the CPU times come from; null on a system without /proc. */
  cpu: { from: "/proc/<pid>/stat utime + stime"; ticksPerSec: number } | null;
  starts: RowStart[];
  failures: Skipped[];
  runs: FrameworkRun[];
}

interface RowServer {
  url: string;
  pid: number;
  startup: () => string;
  stop: () => Promise<void>;
}

const firstLine = (output: string) => output.split("\n").find((line) => line.trim()) ?? "";

/** Starts a row's server, or says in one line why it cannot run here. */
async function startRow(row: FrameworkRow, options: FrameworkOptions, pageFile?: string) {
  if ("reference" in row.server) {
    const env: Record<string, string> = pageFile ? { PAGE_FILE: pageFile } : {};
    const server = await startServer({
      cwd: packageDir,
      entry: row.server.reference,
      env,
      timeoutMs: 30_000,
    });
    return {
      url: server.url,
      pid: server.child.pid!,
      startup: () => firstLine(server.output()),
      stop: async () => {
        const code = await server.stop();
        if (code !== 0) throw new Error(`${row.label} exited with ${code} on SIGTERM`);
      },
    } satisfies RowServer;
  }
  const stage = row.server.stage;
  const [target] = discoverStages([stage]).stages;
  if (!target) return `stage ${String(stage).padStart(2, "0")} is not built (run npm run build)`;
  if (stage >= 6) {
    const problem = await redisProblem();
    if (problem) return `it needs Redis: ${problem}`;
  }
  return (await launch(target, { rows: options.rows, workers: 1 })) satisfies RowServer;
}

/** Stage 06's page, warmed up: the header of one more request says whether the cache answered. */
async function cacheCheck(url: string) {
  const res = await fetch(`${url}/todo`);
  const page = Buffer.from(await res.arrayBuffer());
  return { cache: res.headers.get("x-cache") ?? "(none)", page, status: res.status };
}

/**
 * Measures round after round in ABBA halves (src/order.ts), every round on servers started and
 * warmed up for it, reading the CPU time of the server's processes from /proc before and after
 * each half.
 */
export async function measureFramework(options: FrameworkOptions): Promise<FrameworkMeasurement> {
  const { log, tool } = options;
  const { halfSec, done } = startRecord(options);
  const ticks = ticksPerSec();
  const withCpu = hasProc();
  if (!withCpu) log("no /proc on this system: the table has req/s only, no CPU time per request");
  const dir = mkdtempSync(join(tmpdir(), "zto-framework-"));
  const starts: RowStart[] = [];
  const failures: Skipped[] = [];
  const live = new Map<RowId, RowServer>();
  /** The rows every later round starts again: those that started in the first, until one fails. */
  const wanted = new Set<RowId>();
  const notStarted = new Map<RowId, string>();
  const load = (row: FrameworkRow, url: string, durationSec: number) => ({
    baseUrl: url,
    scenario: row.path === "/index" ? "hello" : "list",
    facts: { rows: options.rows, deepStart: 0, deepCursor: null, ids: [] },
    requests: [{ method: "GET" as const, path: row.path }],
    connections: options.connections,
    durationSec,
  });
  const interrupt = () => {
    log("interrupted: stopping the servers under test");
    void Promise.allSettled([...live.values()].map((server) => server.stop())).finally(() =>
      process.exit(130),
    );
  };
  process.once("SIGINT", interrupt);

  /**
   * Starts every row's server and warms it up: stage 06 first, because F, H and I answer its very
   * bytes. In the first round a row that cannot start is skipped with its reason; in a
   * later one it is a failure, and measured no more.
   */
  const startAll = async (round: number) => {
    let pageFile: string | undefined;
    const byStart = [...ROWS].sort((a, b) => Number(b.id === "E") - Number(a.id === "E"));
    for (const row of byStart) {
      if (round > 1 && !wanted.has(row.id)) continue;
      const start: RowStart = { id: row.id, startup: "" };
      const skip = (reason: string) => {
        if (round > 1) throw new Error(`round ${round}: ${reason}`);
        start.skipped = reason;
        log(`skipped ${row.id} (${row.label}): ${reason}`);
      };
      if (round === 1) starts.push(start);
      try {
        if (row.answersEsPage === "only" && !pageFile) {
          skip("it answers E's page, and E did not run");
          continue;
        }
        const server = await startRow(row, options, row.answersEsPage ? pageFile : undefined);
        if (typeof server === "string") {
          skip(server);
          continue;
        }
        live.set(row.id, server);
        start.startup = server.startup();
        // one request fills the cache, the warm-up makes it hot; then one more must be a hit
        if (row.id === "E") await (await fetch(`${server.url}${row.path}`)).arrayBuffer();
        if (options.warmupSec > 0) await autocannonTool.run(load(row, server.url, options.warmupSec));
        await settle(server.url, row.path);
        if (row.id === "E") {
          const { cache, page, status } = await cacheCheck(server.url);
          start.check = { "X-Cache": cache };
          pageFile = join(dir, `page-${round}.json`);
          writeFileSync(pageFile, page);
          if (status !== 200 || cache !== "hit") {
            live.delete(row.id);
            await server.stop();
            skip(`after the warm-up GET /todo answered ${status} with X-Cache: ${cache}, not a cache hit`);
          }
        }
        if (row.answersEsPage === "or its own" && !pageFile)
          start.note = "its own page of ten todos: E did not run";
      } catch (error) {
        const reason = `could not start: ${(error as Error).message.split("\n")[0]}`;
        if (round > 1) {
          notStarted.set(row.id, reason); // its first window fails with it, and it is measured no more
          continue;
        }
        start.skipped = reason;
        failures.push({ id: row.id, reason });
        log(`failed ${row.id} (${row.label}): ${reason}`);
      }
    }
    if (round === 1) for (const id of live.keys()) wanted.add(id);
  };
  const stopAll = () => stopEvery(live, failures, log);

  try {
    await startAll(1);
    starts.sort((a, b) => a.id.localeCompare(b.id));

    const progress = createProgress("framework", live.size * options.rounds * 2);
    const measured = await measureInHalves({
      items: ROWS.filter((row) => live.has(row.id)),
      rounds: options.rounds,
      idOf: (row) => row.id,
      progress: (count, what) => progress.update(count, what),
      // A server's speed depends on its own history (what its JIT compiled, when its heap grew): two
      // processes of the same code can differ for their whole life by more than the rows differ.
      // Fresh servers every round make that one more thing that varies from round to round, which
      // the medians absorb.
      beforeRound: async (round) => {
        await stopAll();
        await startAll(round);
      },
      measure: async (row) => {
        const server = live.get(row.id);
        if (!server) throw new Error(notStarted.get(row.id) ?? "its server is not running");
        const before = withCpu ? cpuSecondsOf(server.pid, ticks) : undefined;
        const result = await tool.run(load(row, server.url, halfSec));
        const after = withCpu ? cpuSecondsOf(server.pid, ticks) : undefined;
        await settle(server.url, row.path);
        if (result.requests === 0) throw new Error(`no answer within ${halfSec} s`);
        return {
          result,
          pid: server.pid,
          cpuSec: before !== undefined && after !== undefined ? after - before : undefined,
        };
      },
      onFailure: async (row, reason) => {
        log(`failed ${row.id} (${row.label}) ${reason}`);
        wanted.delete(row.id); // measured no more, so not started again either
        const server = live.get(row.id);
        live.delete(row.id);
        await server?.stop().catch(() => {});
      },
    });
    progress.finish();
    failures.push(...measured.failures);
    const runs = measured.pairs.map(({ round, item: row, halves: [first, second] }): FrameworkRun => {
      const both = addHalves(first.result, second.result);
      const cpu =
        first.cpuSec !== undefined && second.cpuSec !== undefined ? first.cpuSec + second.cpuSec : undefined;
      return {
        round,
        row: row.id,
        pid: first.pid,
        ...both,
        ...(cpu === undefined ? {} : { cpuSec: cpu, cpuUsPerRequest: (cpu * 1e6) / both.requests }),
      };
    });

    const { settings, ...rest } = done();
    return {
      ...rest,
      settings: { ...settings, rows: options.rows },
      cpu: withCpu ? { from: "/proc/<pid>/stat utime + stime", ticksPerSec: ticks } : null,
      starts,
      failures,
      runs,
    };
  } finally {
    await stopAll();
    process.off("SIGINT", interrupt);
    rmSync(dir, { recursive: true, force: true });
  }
}
