import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderChart } from "../src/chart.js";
import { writeDocs } from "../src/docs.js";
import type { TourResults } from "../src/results.js";
import { textTable } from "../src/table.js";
import { autocannonTool } from "../src/tools/autocannon.js";
import { runTour } from "../src/tour.js";

const bench = new URL("..", import.meta.url).pathname;
const fixtures = join(bench, "test", "fixtures");
const tmp = mkdtempSync(join(tmpdir(), "zto-bench-slow-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A stages folder with stage-like servers built from the fixtures: "02-slow", "01-broken", … */
function stagesDir(folder: string, stages: Record<string, string>): string {
  const dir = join(tmp, folder);
  for (const [name, fixture] of Object.entries(stages)) {
    mkdirSync(join(dir, name, "dist"), { recursive: true });
    writeFileSync(join(dir, name, "package.json"), JSON.stringify({ name, type: "module" }));
    copyFileSync(join(fixtures, fixture), join(dir, name, "dist", "server.js"));
    copyFileSync(join(fixtures, "seed-nothing.mjs"), join(dir, name, "dist", "seed.js"));
  }
  return dir;
}

const quickTour = {
  tool: autocannonTool,
  toolWhy: "test",
  durationSec: 1,
  warmupSec: 0,
  connections: 10,
  rounds: 1,
  rows: 20,
  workers: 1,
  flask: false,
};

// A deliberately slow server (GET /todo answers after 2 s) measured for 1 s by a real load tool:
// the row is a result, "< 1 req/s", while a server that cannot start is still a failure.
describe("a stage too slow for the window (a slow fixture stage, autocannon, 1 s)", () => {
  let results: TourResults;
  const lines: string[] = [];
  beforeAll(async () => {
    results = await runTour({
      ...quickTour,
      stages: [1, 2],
      scenarios: ["hello", "list"],
      stagesDir: stagesDir("stages", { "01-broken": "broken-stage.mjs", "02-slow": "slow-stage.mjs" }),
      log: (line) => lines.push(line),
    });
  }, 90_000);

  it("records the window without an answer as a run, not a failure", () => {
    const list = results.runs.find((r) => r.target === "02-slow" && r.scenario === "list")!;
    expect(list).toMatchObject({
      requests: 0,
      requestsPerSec: 0,
      p50Ms: null,
      p99Ms: null,
      noAnswerWithinSec: 1,
    });
    expect(
      results.runs.find((r) => r.target === "02-slow" && r.scenario === "hello")!.requests,
    ).toBeGreaterThan(0);
    expect(results.failures.map((f) => f.id)).toEqual(["01-broken"]);
    expect(results.failures[0]!.reason).toMatch(/^could not start: /);
    expect(lines).toContain(
      "02-slow list (round 1): no answer within 1 s at 10 connections, recorded as such (a longer --duration measures it)",
    );
  });

  it("summarizes it as below 1 / window, with no latency and a bounded ratio, never NaN", () => {
    const row = results.summary.find((r) => r.target === "02-slow" && r.scenario === "list")!;
    expect(row).toMatchObject({ roundsWithoutAnswer: 1, noAnswerWithinSec: 1, p50Ms: null, p99Ms: null });
    expect(row.vsCeiling).toMatchObject({ to: "ref-page", bound: "at-most" });
    expect(Number.isFinite(row.vsCeiling!.ratio)).toBe(true);
    expect(JSON.stringify(results)).not.toMatch(/NaN|Infinity/);
  });

  it("prints it in the table, draws no bar for it, and explains it on the page", () => {
    expect(textTable(results)).toMatch(
      /list\s+02-slow\s+< 1 req\/s \(no answer within 1 s\)\s+–\s+–\s+0 \/ 0\s+< 0\.\d+%/,
    );
    const svg = renderChart(results);
    expect(svg).toContain(">&lt; 1 req/s: no answer within 1 s</text>");
    const bars = svg.match(/<rect x="\d+" y="\d+" width/g) ?? [];
    expect(bars).toHaveLength(2 * (results.summary.length - 1));
    const docs = join(tmp, "docs");
    mkdirSync(docs);
    writeDocs(results, docs);
    const page = readFileSync(join(docs, "benchmarks.md"), "utf8");
    expect(page).toContain("| list | 02-slow | < 1 req/s (no answer within 1 s) | – | – | 0 / 0 |  | < ");
    expect(page).toContain("- **< 1 req/s (no answer within 1 s)**: not one request was answered");
  });
});

// A store still busy with the last scenario's queries must not turn the next scenario into "no
// answer": the tour waits until the store answers /healthz quickly, not just /index.
describe("a store still busy after a scenario (a fixture whose store does one thing at a time)", () => {
  it("is waited for, so the next scenario measures itself", async () => {
    const lines: string[] = [];
    const results = await runTour({
      ...quickTour,
      stages: [3],
      // 10 pages left in flight hold the store for 1.5 s: longer than create's 1 s window
      scenarios: ["list", "create"],
      stagesDir: stagesDir("queued", { "03-queued": "queued-store-stage.mjs" }),
      log: (line) => lines.push(line),
    });
    expect(results.failures).toEqual([]);
    const runs = results.runs.filter((r) => r.target === "03-queued");
    expect(runs.map((r) => [r.scenario, r.requests > 0])).toEqual([
      ["list", true],
      ["create", true],
    ]);
    expect(lines.filter((l) => l.includes("no answer"))).toEqual([]);
    // without hello in the tour, the tool's ceiling is measured once, on its own
    expect(results.toolCeiling).toMatchObject({ target: "ref-hello", from: "measured once", rounds: 1 });
    expect(results.toolCeiling!.requestsPerSec).toBeGreaterThan(0);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^the tool's ceiling: raw node:http hello with autocannon \S+ at 10 connections, [\d,]+ req\/s$/,
      ),
    );
  }, 60_000);
});

// The same on a real stage: stage 02 answers every todo on every request, and at 10,000 todos and
// 100 connections it often answers nothing within 1 s. Whether it does or not, the tour finishes
// with 0 and shows each row as what it measured.
describe("stage 02 with 10,000 todos for 1 s (real tour, autocannon)", () => {
  const tour = { status: null as number | null, stdout: "", stderr: "" };
  const dir = join(tmp, "results-02");
  beforeAll(async () => {
    const args = ["dist/cli.js", "--tool", "autocannon", "--stages", "02", "--scenarios", "list,mixed"];
    args.push("--duration", "1", "--rounds", "1", "--results-dir", dir, "--no-docs", "--no-flask");
    const child = spawn(process.execPath, args, { cwd: bench, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (chunk: Buffer) => (tour.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (tour.stderr += chunk.toString()));
    [tour.status] = (await once(child, "exit")) as [number | null];
    // seeding 10,000 todos over HTTP, then waiting for a server that is still sorting them: 90 s on a
    // quiet CI machine, over 150 s on a busy one
  }, 300_000);

  it("exits with 0 and shows every row as measured or as answering nothing in the window", () => {
    expect(tour.status, tour.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as TourResults;
    expect(results.failures).toEqual([]);
    const runs = results.runs.filter((r) => r.target === "02-memory");
    expect(runs.map((r) => r.scenario)).toEqual(["list", "mixed"]);
    for (const run of runs) {
      const row = new RegExp(
        `${run.scenario}\\s+02-memory\\s+< 1 req/s \\(no answer within 1 s\\)\\s+–\\s+–`,
      );
      if (run.requests === 0) {
        expect(run).toMatchObject({ requestsPerSec: 0, p50Ms: null, p99Ms: null, noAnswerWithinSec: 1 });
        expect(tour.stdout).toMatch(row);
      } else {
        expect(run.noAnswerWithinSec).toBeUndefined();
        expect(run.p99Ms).toBeGreaterThan(0);
        expect(tour.stdout).not.toMatch(row);
      }
    }
    expect(readdirSync(dir)).toContain("latest.json");
  });
});
