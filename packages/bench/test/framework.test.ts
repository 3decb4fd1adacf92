import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestRedis } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrameworkMeasurement } from "../src/framework/measure.js";
import { type FrameworkResults, frameworkNotes, summarizeFramework } from "../src/framework/report.js";
import { ROW_IDS, type RowId } from "../src/framework/rows.js";
import { type Ran, runNode } from "./run-node.js";

const tmp = mkdtempSync(join(tmpdir(), "zto-bench-framework-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const probe = await startTestRedis();
await probe.redis?.stop();
if (probe.skipped) console.log(`skipped: the cached-page row (E) needs Redis: ${probe.skipped}`);
const withProc = existsSync("/proc/self/stat");

// A real run, as short as it gets: every server, two rounds (each on fresh servers), 1 s halves, autocannon.
describe("npm run bench:framework (1 s halves, 2 rounds, autocannon)", () => {
  let run: Ran;
  const resultsDir = join(tmp, "results");
  const docsDir = join(tmp, "docs");
  let results: FrameworkResults;
  beforeAll(async () => {
    mkdirSync(docsDir);
    writeFileSync(
      join(docsDir, "page.md"),
      [
        "Stage 01 spends <!-- bench:framework-value D cpu -->old<!-- /bench:framework-value --> a request.",
        "<!-- bench:framework-table -->",
        "stale",
        "<!-- /bench:framework-table -->",
      ].join("\n"),
    );
    const args = ["dist/framework.js", "--duration", "1", "--rounds", "2", "--warmup", "1"];
    args.push("--connections", "20", "--results-dir", resultsDir, "--docs", "--docs-dir", docsDir);
    run = await runNode(args);
    results = JSON.parse(readFileSync(join(resultsDir, "framework-latest.json"), "utf8")) as FrameworkResults;
  }, 240_000);

  it("measures every row, or skips it with a reason, and exits with 0", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(results.schema).toBe("zero-to-one/framework-cost@1");
    expect(results.failures).toEqual([]);
    expect(results.rows.map((r) => r.id)).toEqual([...ROW_IDS]);
    for (const row of results.rows) {
      if (row.skipped !== undefined) {
        expect(row.skipped, row.id).toMatch(/\w{3}/);
        expect(row.requestsPerSec).toBeUndefined();
        expect(run.stderr).toContain(`skipped ${row.id} (${row.label}): ${row.skipped}`);
        continue;
      }
      expect(row.requestsPerSec, row.id).toBeGreaterThan(0);
      expect(row.errors! + row.non2xx!, `${row.id} errors`).toBe(0);
      expect(row.vsA, row.id).toEqual(expect.any(Number));
      if (withProc) {
        expect(row.cpuUsPerRequest, row.id).toBeGreaterThan(0);
        expect(row.cpuVsA, row.id).toEqual(expect.any(Number));
      }
      if (row.base && withProc) expect(row.diffUs, `${row.id}−${row.base}`).toEqual(expect.any(Number));
    }
    // only a missing program may leave a row out here: stage 06 without Redis, and H and I, which answer E's page
    const skipped = results.rows.filter((r) => r.skipped).map((r) => r.id);
    expect(skipped).toEqual(probe.skipped ? ["E", "H", "I"] : []);
    expect(results.runs).toHaveLength(2 * (ROW_IDS.length - skipped.length));
    for (const r of results.runs) expect(r.halvesPerSec).toHaveLength(2);
    expect(results.cpu === null).toBe(!withProc);
  });

  it("measures every round on servers of its own: a process's history is not carried into the next round", () => {
    for (const id of ROW_IDS) {
      const pids = results.runs.filter((r) => r.row === id).map((r) => r.pid);
      if (pids.length === 0) continue;
      expect(pids, id).toHaveLength(2);
      expect(pids[0], id).not.toBe(pids[1]);
    }
  });

  it.skipIf(probe.skipped !== undefined)(
    "measures stage 06's page only once its warm-up saw X-Cache: hit",
    () => {
      const e = results.rows.find((r) => r.id === "E")!;
      expect(e.check).toEqual({ "X-Cache": "hit" });
      expect(e.path).toBe("/todo");
      expect(results.rows.find((r) => r.id === "F")!.note).toBeUndefined();
      expect(results.sameBytes.rpsRatio).toEqual(expect.any(Number));
      expect(results.constantPage.rpsRatio).toEqual(expect.any(Number));
      expect(run.stdout).toMatch(
        /H against D, E's page instead of hello and no cache at all: \d\.\d\d× the req\/s/,
      );
    },
  );

  it("prints the table with the ratios to A, the CPU per request and its differences", () => {
    expect(run.stdout).toMatch(/req\/s\s+vs A\s+CPU µs\/request\s+CPU vs A\s+Δ CPU µs\/request/);
    expect(run.stdout).toMatch(/\nA {4}raw node:http hello\s+GET \/index\s+[\d,]+( ‡)?\s+1\.00×/);
    if (withProc) expect(run.stdout).toMatch(/\nC .*[+−]\d+\.\d \(C−A\)/);
    expect(run.stdout).toMatch(/Goal D ≥ 0\.85 × A: \d\.\d\d× by req\/s \((met|not met)\)/);
  });

  it("writes framework.json and the numbers between the markers with --docs", () => {
    const page = readFileSync(join(docsDir, "page.md"), "utf8");
    expect(page).toMatch(/<!-- bench:framework-value D cpu -->\d+\.\d µs<!-- \/bench:framework-value -->/);
    expect(page).toMatch(/<!-- bench:framework-table -->\n\| row \| server \| request \| req\/s \|/);
    expect(page).not.toContain("stale");
    const json = JSON.parse(readFileSync(join(docsDir, "benchmarks", "framework.json"), "utf8")) as unknown;
    expect(json).toEqual(results);
    expect(run.stdout).toContain(`wrote ${docsDir}/benchmarks/framework.json`);
  });
});

describe("the breakdown's arithmetic", () => {
  const measurement = (round: number, row: RowId, requestsPerSec: number, cpuUsPerRequest: number) => ({
    round,
    row,
    pid: 1000 * round + row.charCodeAt(0),
    requests: requestsPerSec * 4,
    durationSec: 4,
    requestsPerSec,
    p50Ms: 1,
    p99Ms: 2,
    errors: 0,
    non2xx: 0,
    cpuSec: (requestsPerSec * 4 * cpuUsPerRequest) / 1e6,
    cpuUsPerRequest,
  });
  // round 2 is slow for everyone (the machine was busy): the pairs still differ by the same
  const m = (): FrameworkMeasurement => ({
    date: "2026-11-28T00:00:00.000Z",
    wallSec: 1,
    machine: {
      cpuModel: "x",
      cores: 2,
      memoryGiB: 1,
      os: "Linux",
      node: "v20",
      loadAverage: { start: 0, end: 0 },
    },
    tool: { name: "wrk", version: "wrk 4.1.0" },
    settings: {
      durationSec: 4,
      halfSec: 2,
      warmupSec: 1,
      connections: 100,
      rounds: 3,
      rows: 10,
      order: "abba-halves",
    },
    cpu: { from: "/proc/<pid>/stat utime + stime", ticksPerSec: 100 },
    starts: ROW_IDS.map((id) => ({
      id,
      startup: "",
      ...(id === "E" ? { skipped: "it needs Redis: none" } : {}),
    })),
    failures: [],
    runs: [1, 2, 3].flatMap((round) => {
      const busy = round === 2 ? 2 : 1;
      return [
        measurement(round, "A", 50_000 / busy, 16 * busy),
        measurement(round, "C", 40_000 / busy, 20 * busy),
        measurement(round, "D", 38_000 / busy, 21 * busy),
      ];
    }),
  });

  it("compares two rows round by round, leaves out skipped rows, and says whether each goal is met", () => {
    const r = summarizeFramework(m());
    const row = (id: RowId) => r.rows.find((x) => x.id === id)!;
    expect(row("A")).toMatchObject({
      requestsPerSec: 50_000,
      cpuUsPerRequest: 16,
      vsA: 1,
      atToolCeiling: true,
    });
    // each round's own difference: 4, 8 and 4 µs; the median is 4, not the difference of medians
    expect(row("C")).toMatchObject({ requestsPerSec: 40_000, cpuUsPerRequest: 20, vsA: 0.8, diffUs: 4 });
    expect(row("C").cpuVsA).toBeCloseTo(0.8);
    expect(row("C")).not.toHaveProperty("atToolCeiling");
    expect(row("D").diffUs).toBe(1);
    expect(row("E")).toEqual({
      id: "E",
      label: expect.any(String),
      path: "/todo",
      base: "I",
      adds: expect.any(String),
      startup: "",
      skipped: "it needs Redis: none",
    });
    expect(row("B").skipped).toBe("not measured");
    expect(r.goals[0]).toMatchObject({ goal: "D ≥ 0.85 × A", byRps: 0.76, metByRps: false });
    expect(r.goals[1]).toMatchObject({ goal: "E ≥ 0.9 × D", byRps: null, metByRps: null });
    expect(frameworkNotes(r)).toContain(
      "Goal D ≥ 0.85 × A: 0.76× by req/s (not met); 0.76× by CPU per request (not met).",
    );
  });
});
