import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Ran, runNode } from "./run-node.js";
import type { PagingResults } from "../src/paging/report.js";
import { repoRoot, seedStore } from "../src/targets.js";

const bench = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "zto-bench-paging-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ROWS = 2_000;

describe(`npm run bench:paging (1 s halves, 1 round, ${ROWS.toLocaleString("en-US")} todos)`, () => {
  let run: Ran;
  const resultsDir = join(tmp, "results");
  const docsDir = join(tmp, "docs");
  let results: PagingResults;
  beforeAll(async () => {
    mkdirSync(docsDir);
    writeFileSync(
      join(docsDir, "page.md"),
      "<!-- bench:paging-table -->\nstale\n<!-- /bench:paging-table -->\n",
    );
    const args = [
      "dist/paging.js",
      "--duration",
      "1",
      "--rounds",
      "1",
      "--warmup",
      "0",
      "--rows",
      String(ROWS),
    ];
    args.push("--results-dir", resultsDir, "--docs", "--docs-dir", docsDir);
    run = await runNode(args);
    results = JSON.parse(readFileSync(join(resultsDir, "paging-latest.json"), "utf8")) as PagingResults;
  }, 120_000);

  const row = (request: string) => results.rows.find((r) => r.request === request)!;

  it("measures every todo and the first page on one server, and exits with 0", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(results.schema).toBe("zero-to-one/paging@1");
    expect(results.failures).toEqual([]);
    expect(results.rows.map((r) => [r.path, r.todos])).toEqual([
      ["/todo?all=1", ROWS],
      ["/todo", 10],
    ]);
    for (const r of results.rows) {
      expect(r.skipped, r.path).toBeUndefined();
      expect(r.requestsPerSec, r.path).toBeGreaterThan(0);
      expect(r.errors! + r.non2xx!, r.path).toBe(0);
    }
    expect(results.runs.map((r) => r.request).sort()).toEqual(["all", "page"]);
  });

  it("answers a page much smaller than every todo, and sooner", () => {
    expect(row("all").bytes).toBeGreaterThan(100 * row("page").bytes!);
    expect(row("page").p50Ms).toBeLessThan(row("all").p50Ms!);
    expect(results.pageVsAll.rpsRatio).toBeGreaterThan(1);
  });

  it("prints the table with each answer's size", () => {
    expect(run.stdout).toMatch(/request\s+todos\s+response bytes\s+req\/s\s+p50 ms\s+p99 ms/);
    expect(run.stdout).toMatch(/\nGET \/todo\?all=1\s+2,000\s+[\d,]+\s+[\d,]+\s+[\d.]+\s+[\d.]+\s+0 \/ 0\n/);
    expect(run.stdout).toMatch(/The page against every todo: [\d.]+× the requests per second/);
  });

  it("writes paging.json and the table between the markers with --docs", () => {
    const page = readFileSync(join(docsDir, "page.md"), "utf8");
    expect(page).toMatch(/^<!-- bench:paging-table -->\n\| request \| todos \| response bytes \|/);
    expect(page).toMatch(/\| GET \/todo \| 10 \| [\d,]+ \| [\d,]+ \|/);
    expect(page).not.toContain("stale");
    const json = JSON.parse(readFileSync(join(docsDir, "benchmarks", "paging.json"), "utf8")) as unknown;
    expect(json).toEqual(results);
  });
});

describe("bench:paging's reference server", () => {
  it("answers stage 03's first page byte for byte, and every todo newest first", async () => {
    const env = { DB_PATH: join(tmp, "same.db"), MONGO_URL: "" };
    seedStore(join(repoRoot, "stages", "03-mongo"), 30, env);
    const stage = await startServer({ cwd: join(repoRoot, "stages", "03-mongo"), env });
    const reference = await startServer({ cwd: bench, entry: "dist/reference/paging.js", env });
    try {
      const body = async (url: string) => (await fetch(url)).text();
      expect(await body(`${reference.url}/todo`)).toBe(await body(`${stage.url}/todo`));
      const all = JSON.parse(await body(`${reference.url}/todo?all=1`)) as { data: { id: string }[] };
      const walked = JSON.parse(await body(`${stage.url}/todo?limit=30`)) as { data: { id: string }[] };
      expect(all.data.map((t) => t.id)).toEqual(walked.data.map((t) => t.id));
      const bad = await fetch(`${reference.url}/todo?all=yes`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: { status: 400, message: '"all" must be 1, or left out for a page' },
      });
    } finally {
      expect(await reference.stop()).toBe(0);
      await stage.stop();
    }
  });

  it("stops at start-up with one line when DB_PATH names no file", () => {
    const ran = spawnSync(process.execPath, ["dist/reference/paging.js"], {
      cwd: bench,
      env: { ...process.env, DB_PATH: join(tmp, "missing.db") },
      encoding: "utf8",
    });
    expect(ran.status).toBe(2);
    expect(ran.stderr).toBe("DB_PATH must name a SQLite file seeded by stage 03 (npm run seed)\n");
  });
});
