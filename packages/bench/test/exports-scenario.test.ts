import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type TestRedis, startTestRedis } from "@zero-to-one/test-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { WorkerStartError, startQueueWorker } from "../src/exports.js";
import { type Tour, runTour } from "./run-node.js";

const bench = new URL("..", import.meta.url).pathname;
const stage07 = join(bench, "..", "..", "stages", "07-queue");

const probe = await startTestRedis();
await probe.redis?.stop();
if (probe.skipped) console.log(`skipped: the export scenario needs Redis: ${probe.skipped}`);
const wrkMissing = spawnSync("wrk", ["-v"]).error !== undefined;
if (wrkMissing) console.log("skipped: the export scenario with wrk needs wrk (apt-get install wrk)");

/** A real tour of stage 07's list-during-exports: one round, 1 s per condition, 300 todos. */
async function tourOfExports(tool: string, env: Record<string, string> = {}): Promise<Tour> {
  const started = await startTestRedis();
  if (!started.redis) throw new Error(started.skipped);
  const redis: TestRedis = started.redis;
  try {
    return await runTour(
      ["--tool", tool, "--stages", "07", "--scenarios", "list-during-exports", "--warmup", "0"],
      { env: { ...process.env, ...env, REDIS_URL: redis.url }, timeoutMs: 110_000 },
    );
  } finally {
    await redis.stop();
  }
}

const tools = [
  { tool: "autocannon", skip: false },
  { tool: "wrk", skip: wrkMissing },
];

describe.skipIf(probe.skipped !== undefined)(
  "list-during-exports on stage 07 (real Redis, worker, API)",
  () => {
    describe.each(tools)("with $tool", ({ tool, skip }) => {
      let tour: Tour;
      beforeAll(async () => {
        if (!skip) tour = await tourOfExports(tool);
      }, 120_000);

      it.skipIf(skip)("measures GET /todo idle, beside queued exports and beside inline exports", () => {
        expect(tour.status, tour.stderr).toBe(0);
        const r = tour.results!;
        expect(r.failures).toEqual([]);
        expect(r.skipped).toEqual([]);
        const runs = r.runs.filter(
          (run) => run.target === "07-queue" && run.scenario === "list-during-exports",
        );
        expect(runs.map((run) => run.condition)).toEqual(["idle", "queue", "inline"]);
        for (const run of runs) {
          expect(run.requests, run.condition).toBeGreaterThan(0);
          // autocannon counts whole milliseconds, so a fast p99 can read 0
          if (tool === "wrk") expect(run.p99Ms, `${run.condition} p99`).toBeGreaterThan(0);
          expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms!);
          expect(run.maxMs).toBeGreaterThanOrEqual(run.p99Ms!);
          expect(run.connections).toBe(10);
          // wrk paces each connection to a steady 1,000 req/s in all; autocannon cannot, and says so
          expect(run.ratePerSec).toBe(tool === "wrk" ? 1_000 : undefined);
        }
        // unpaced, wrk answers many thousands per second here; paced, it cannot pass the rate
        if (tool === "wrk") expect(runs[0]!.requestsPerSec).toBeLessThan(1_100);
        const completed = Object.fromEntries(runs.map((run) => [run.condition, run.exportsCompleted]));
        expect(completed["idle"]).toBe(0);
        expect(completed["queue"]).toBeGreaterThanOrEqual(1);
        expect(completed["inline"]).toBeGreaterThanOrEqual(1);
        expect(r.summary.filter((row) => row.condition).map((row) => row.condition)).toEqual([
          "idle",
          "queue",
          "inline",
        ]);
      });

      it.skipIf(skip)(
        "says how it loads the API, shows progress per condition, prints the three rows",
        () => {
          expect(tour.stderr).toContain(
            `list-during-exports at ${tool === "wrk" ? "1000 req/s over " : ""}10 connections, once per condition: idle, queue, inline`,
          );
          expect(tour.stderr).toMatch(/tour .*100% 3\/3 done in/);
          expect(tour.stdout).toContain("GET /todo while exports run:");
          for (const condition of ["idle (no exports)", "exports on the queue", "inline (?inline=1)"]) {
            expect(tour.stdout).toContain(condition);
          }
        },
      );
    });

    it("skips the queue condition with one line when the worker cannot start, and measures the rest", async () => {
      // the worker refuses this setting and exits at once; the API does not read it
      const tour = await tourOfExports("autocannon", { WORKER_CONCURRENCY: "0" });
      expect(tour.status, tour.stderr).toBe(0);
      const r = tour.results!;
      expect(r.skipped).toEqual([
        {
          id: "07-queue list-during-exports queue",
          reason: expect.stringMatching(
            /^the queue worker did not start: node dist\/worker.js exited with 1: /,
          ),
        },
      ]);
      expect(r.skipped[0]!.reason).not.toContain("\n");
      expect(r.skipped[0]!.reason).toContain("WORKER_CONCURRENCY");
      expect(tour.stderr).toContain(
        "skipped 07-queue list-during-exports queue: the queue worker did not start",
      );
      expect(r.runs.map((run) => run.condition)).toEqual(["idle", "inline"]);
    }, 120_000);

    it("refuses a stage without a built worker with a one-line reason", async () => {
      const error = await startQueueWorker(bench, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkerStartError);
      expect((error as Error).message).toBe("the stage has no dist/worker.js (run npm run build)");
      expect(existsSync(join(stage07, "dist", "worker.js")), "stage 07 must be built for this suite").toBe(
        true,
      );
    });
  },
);
