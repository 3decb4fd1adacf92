import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestRedis } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FrameworkResults } from "../src/framework/report.js";
import { ROW_IDS } from "../src/framework/rows.js";

const bench = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "zto-bench-framework-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const probe = await startTestRedis();
await probe.redis?.stop();
if (probe.skipped) console.log(`skipped: the cached-page row (E) needs Redis: ${probe.skipped}`);
const withProc = existsSync("/proc/self/stat");

// A real run, as short as it gets: every server, one round, 1 s halves, autocannon.
describe("npm run bench:framework (1 s halves, 1 round, autocannon)", () => {
  const run = { status: null as number | null, stdout: "", stderr: "" };
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
    const args = ["dist/framework.js", "--duration", "1", "--rounds", "1", "--warmup", "1"];
    args.push("--connections", "20", "--results-dir", resultsDir, "--docs", "--docs-dir", docsDir);
    const child = spawn(process.execPath, args, { cwd: bench, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => (run.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
    [run.status] = (await once(child, "exit")) as [number | null];
    results = JSON.parse(readFileSync(join(resultsDir, "framework-latest.json"), "utf8")) as FrameworkResults;
  }, 150_000);

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
    // only a missing program may leave a row out here: stage 06 without Redis
    const skipped = results.rows.filter((r) => r.skipped).map((r) => r.id);
    expect(skipped).toEqual(probe.skipped ? ["E"] : []);
    expect(results.runs).toHaveLength(ROW_IDS.length - skipped.length);
    for (const r of results.runs) expect(r.halvesPerSec).toHaveLength(2);
    expect(results.cpu === null).toBe(!withProc);
  });

  it.skipIf(probe.skipped !== undefined)(
    "measures stage 06's page only once its warm-up saw X-Cache: hit",
    () => {
      const e = results.rows.find((r) => r.id === "E")!;
      expect(e.check).toEqual({ "X-Cache": "hit" });
      expect(e.path).toBe("/todo");
      expect(results.rows.find((r) => r.id === "F")!.note).toBeUndefined();
      expect(results.sameBytes.rpsRatio).toEqual(expect.any(Number));
    },
  );

  it("prints the table with the ratios to A, the CPU per request and its differences", () => {
    expect(run.stdout).toMatch(/req\/s\s+vs A\s+CPU µs\/request\s+CPU vs A\s+Δ CPU µs\/request/);
    expect(run.stdout).toMatch(/\nA {2}raw node:http hello\s+GET \/index\s+[\d,]+( ‡)?\s+1\.00×/);
    if (withProc) expect(run.stdout).toMatch(/\nC .*[+−]\d+\.\d \(C−A\)/);
    expect(run.stdout).toMatch(/Goal D ≥ 0\.85 × A: \d\.\d\d× by req\/s \((met|not met)\)/);
  });

  it("writes framework.json and the numbers between the markers with --docs", () => {
    const page = readFileSync(join(docsDir, "page.md"), "utf8");
    expect(page).toMatch(/<!-- bench:framework-value D cpu -->\d+\.\d µs<!-- \/bench:framework-value -->/);
    expect(page).toMatch(/<!-- bench:framework-table -->\n\| {2}\| server \| request \| req\/s \|/);
    expect(page).not.toContain("stale");
    const json = JSON.parse(readFileSync(join(docsDir, "benchmarks", "framework.json"), "utf8")) as unknown;
    expect(json).toEqual(results);
    expect(run.stdout).toContain(`wrote ${docsDir}/benchmarks/framework.json`);
  });
});
