import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Ran, runNode } from "./run-node.js";
import type { BlockingResults } from "../src/blocking/report.js";

const bench = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "zto-bench-blocking-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const WAIT_MS = 100;

describe(`npm run bench:blocking (3 s halves, 1 round, slow calls of ${WAIT_MS} ms)`, () => {
  let run: Ran;
  const resultsDir = join(tmp, "results");
  const docsDir = join(tmp, "docs");
  let results: BlockingResults;
  beforeAll(async () => {
    mkdirSync(docsDir);
    writeFileSync(
      join(docsDir, "page.md"),
      "<!-- bench:blocking-table -->\nstale\n<!-- /bench:blocking-table -->\n",
    );
    // halves of 3 s (--duration is both halves): on a busy machine a held event loop can take a
    // second or more to let wrk's connections in and read their first requests, and halves of 2 s
    // ended with none answered
    const args = ["dist/blocking.js", "--duration", "6", "--rounds", "1", "--warmup", "0"];
    args.push("--wait-ms", String(WAIT_MS), "--results-dir", resultsDir, "--docs", "--docs-dir", docsDir);
    run = await runNode(args);
    results = JSON.parse(readFileSync(join(resultsDir, "blocking-latest.json"), "utf8")) as BlockingResults;
  }, 240_000);

  const row = (processes: number, condition: string) =>
    results.rows.find((r) => r.processes === processes && r.condition === condition)!;

  it("measures GET /index on one process and on two, alone and beside each slow route, and exits with 0", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(results.schema).toBe("zero-to-one/blocking@1");
    expect(results.failures).toEqual([]);
    expect(results.rows.map((r) => `${r.processes} ${r.condition}`)).toEqual([
      "1 none",
      "1 sync",
      "1 async",
      "2 none",
      "2 sync",
      "2 async",
    ]);
    for (const r of results.rows) {
      expect(r.skipped, `${r.processes} ${r.condition}`).toBeUndefined();
      expect(r.requestsPerSec).toBeGreaterThan(0);
      expect(r.errors! + r.non2xx! + r.slowErrors!).toBe(0);
      if (r.condition !== "none") expect(r.slowCallsPerSec).toBeGreaterThan(0);
    }
    expect(results.starts.map((s) => s.startup)).toEqual([
      expect.stringMatching(
        /listening on http:\/\/127\.0\.0\.1:\d+ \(1 process, pid \d+; [\d,]+ rows\/ms\)$/,
      ),
      expect.stringMatching(/\(2 workers: pids \d+, \d+; primary pid \d+\)$/),
    ]);
  });

  it("a synchronous wait delays the other requests of its process by most of the wait; an awaited one does not", () => {
    // every slow call of either kind takes the wait itself…
    expect(row(1, "sync").slowCallMs).toBeGreaterThan(0.5 * WAIT_MS);
    expect(row(1, "async").slowCallMs).toBeGreaterThanOrEqual(WAIT_MS - 1);
    // …but only the one that holds the event loop makes /index wait with it. The awaited one is held
    // against the one that blocks, not against a fixed bound: on a machine busy with other work the
    // p99 of any request can grow by a wait's worth, while the typical request (p50) still shows it
    const sync = row(1, "sync");
    const awaited = row(1, "async");
    expect(sync.addedP99Ms).toBeGreaterThan(0.5 * WAIT_MS);
    expect(sync.addedP50Ms).toBeGreaterThan(0.1 * WAIT_MS);
    expect(awaited.addedP50Ms).toBeLessThan(0.25 * sync.addedP50Ms!);
    expect(awaited.addedP99Ms).toBeLessThan(sync.addedP99Ms!);
  });

  it("prints the table with the latency each condition adds", () => {
    expect(run.stdout).toMatch(
      /server\s+while GET \/index is measured\s+\/index req\/s\s+p50 ms\s+p99 ms\s+p50 added/,
    );
    expect(run.stdout).toMatch(
      /\n1 process {4}1 client calling \/wait-sync \(100 ms held\)\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+[+−][\d.]+/,
    );
    expect(run.stdout).toMatch(/\n2 processes {2}1 client calling \/wait-async \(100 ms awaited\)/);
  });

  it("writes blocking.json and the table between the markers with --docs", () => {
    const page = readFileSync(join(docsDir, "page.md"), "utf8");
    expect(page).toMatch(/^<!-- bench:blocking-table -->\n\| server \| while GET \/index is measured \|/);
    expect(page).toContain("| 1 process | 1 client calling /wait-sync (100 ms held) |");
    expect(page).toMatch(
      /<sub>.*`docs\/benchmarks\/blocking\.json`\.<\/sub>\n<!-- \/bench:blocking-table -->\n$/,
    );
    expect(page).not.toContain("stale");
    const json = JSON.parse(readFileSync(join(docsDir, "benchmarks", "blocking.json"), "utf8")) as unknown;
    expect(json).toEqual(results);
    expect(run.stdout).toContain(`wrote ${docsDir}/benchmarks/blocking.json`);
    expect(run.stdout).toContain(`wrote ${docsDir}/page.md`);
  });

  it("redraws the table from a results file with --docs-from, measuring nothing", () => {
    writeFileSync(
      join(docsDir, "page.md"),
      "<!-- bench:blocking-table -->\nstale\n<!-- /bench:blocking-table -->\n",
    );
    const args = [
      "dist/blocking.js",
      "--docs-from",
      join(resultsDir, "blocking-latest.json"),
      "--docs-dir",
      docsDir,
    ];
    const again = spawnSync(process.execPath, args, { cwd: bench, encoding: "utf8" });
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(join(docsDir, "page.md"), "utf8")).toContain("| 2 processes | nothing else |");
  });
});

describe("bench:blocking's command line and reference server", () => {
  it("refuses a wait that is not a whole number of milliseconds, before measuring anything", () => {
    const bad = spawnSync(process.execPath, ["dist/blocking.js", "--wait-ms", "0"], {
      cwd: bench,
      encoding: "utf8",
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(
      /^blocking: --wait-ms must be a whole number of at least 1, not 0\nusage: blocking /,
    );
  });

  it("answers a malformed wait with a 400 in the API's error shape", async () => {
    const server = await startServer({ cwd: bench, entry: "dist/reference/waits.js" });
    try {
      for (const query of ["", "?ms=abc", "?ms=0", "?ms=1.5", "?ms=10001"]) {
        const res = await fetch(`${server.url}/wait-sync${query}`);
        expect(res.status, query).toBe(400);
        expect(await res.json()).toEqual({
          error: { status: 400, message: '"ms" must be a whole number of milliseconds from 1 to 10000' },
        });
      }
      expect(await (await fetch(`${server.url}/wait-async?ms=5`)).json()).toEqual({ waited: "async", ms: 5 });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
