import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TourResults } from "../src/results.js";

const bench = new URL("..", import.meta.url).pathname;
const root = join(bench, "..", "..");
const docsPage = join(root, "docs", "benchmarks.md");
const resultsDir = mkdtempSync(join(tmpdir(), "zto-bench-test-"));
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

// A real tour, as small as it gets: one round, one second per scenario, the two first stages.
describe("the benchmark tour (smoke: stages 01 and 02, autocannon, 1 s per scenario)", () => {
  const docsBefore = existsSync(docsPage) ? statSync(docsPage).mtimeMs : undefined;
  const tour = { status: null as number | null, stdout: "", stderr: "" };
  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      [
        "dist/cli.js",
        "--tool",
        "autocannon",
        "--stages",
        "01,02",
        "--rounds",
        "1",
        "--duration",
        "1",
        "--warmup",
        "0",
        "--rows",
        "200",
        "--connections",
        "10",
        "--results-dir",
        resultsDir,
        "--no-docs",
        "--no-flask",
      ],
      { cwd: bench, stdio: ["ignore", "pipe", "pipe"], timeout: 110_000 },
    );
    child.stdout.on("data", (chunk: Buffer) => (tour.stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (tour.stderr += chunk.toString()));
    [tour.status] = (await once(child, "exit")) as [number | null];
  }, 120_000);
  const results = () => JSON.parse(readFileSync(join(resultsDir, "latest.json"), "utf8")) as TourResults;

  it("finishes with exit code 0 and prints the table", () => {
    expect(tour.status, tour.stderr).toBe(0);
    expect(tour.stdout).toMatch(/scenario\s+server\s+req\/s\s+p50 ms\s+p99 ms\s+errors \/ non-2xx/);
    for (const server of ["raw node:http hello", "raw node:http page", "01-hello", "02-memory"]) {
      expect(tour.stdout).toContain(server);
    }
    expect(tour.stderr).toContain("autocannon 9");
    expect(tour.stderr).toMatch(/tour .*100% 7\/7 done in/);
  });

  it("writes results with the machine, the tool and every run", () => {
    const r = results();
    expect(r.schema).toBe("zero-to-one/bench-results@1");
    expect(r.machine).toEqual({
      cpuModel: expect.any(String),
      cores: expect.any(Number),
      memoryGiB: expect.any(Number),
      os: expect.any(String),
      node: process.version,
      loadAverage: { start: expect.any(Number), end: expect.any(Number) },
    });
    expect(r.tool).toMatchObject({ name: "autocannon", version: expect.stringMatching(/^autocannon \d/) });
    expect(r.settings).toMatchObject({ durationSec: 1, rounds: 1, rows: 200, connections: 10 });
    expect(r.targets.map((t) => [t.id, t.scenarios])).toEqual([
      ["ref-hello", ["hello"]],
      ["ref-page", ["list"]],
      ["01-hello", ["hello"]],
      ["02-memory", ["hello", "list", "mixed", "create"]],
    ]);
    expect(r.targets.find((t) => t.id === "02-memory")?.startup).toContain("listening on http://127.0.0.1:");
    expect(r.failures).toEqual([]);
    expect(r.runs).toHaveLength(7);
    for (const run of r.runs) {
      expect(run.requests, `${run.target} ${run.scenario}`).toBeGreaterThan(0);
      expect(run.requestsPerSec).toBeGreaterThan(0);
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms);
      expect(run.errors + run.non2xx, `${run.target} ${run.scenario} errors`).toBe(0);
    }
  });

  it("compares each stage with the one before and with the raw node:http ceiling", () => {
    const row = results().summary.find((s) => s.target === "02-memory" && s.scenario === "hello");
    expect(row?.vsPrevious?.to).toBe("01-hello");
    expect(row?.vsCeiling?.to).toBe("ref-hello");
    const list = results().summary.find((s) => s.target === "02-memory" && s.scenario === "list");
    expect(list?.vsPrevious).toBeNull();
    expect(list?.vsCeiling?.to).toBe("ref-page");
  });

  it("leaves docs/ alone with --no-docs", () => {
    expect(existsSync(docsPage) ? statSync(docsPage).mtimeMs : undefined).toBe(docsBefore);
    expect(tour.stdout).not.toContain("wrote ");
  });
});

const flaskMissing = spawnSync("gunicorn", ["--version"]).error !== undefined;
if (flaskMissing)
  console.log("skipped: the Flask references need python3-flask and gunicorn (apt-get install)");

describe.skipIf(flaskMissing)("the Flask references (when python3-flask and gunicorn are installed)", () => {
  it("runs the article's stack on the hello and list scenarios and stops it cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-bench-flask-"));
    try {
      const args = ["dist/cli.js", "--tool", "wrk", "--stages", "01", "--scenarios", "hello,list"];
      args.push("--rounds", "1", "--duration", "1", "--warmup", "0", "--rows", "100", "--connections", "10");
      args.push("--results-dir", dir, "--no-docs");
      const child = spawn(process.execPath, args, { cwd: bench, stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const [status] = (await once(child, "exit")) as [number | null];
      expect(status, stderr).toBe(0);
      const r = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as TourResults;
      const flask = r.runs.filter((run) => run.target.startsWith("flask"));
      expect(flask.map((run) => `${run.target} ${run.scenario}`).sort()).toEqual([
        "flask-dev hello",
        "flask-dev list",
        "flask-gunicorn hello",
        "flask-gunicorn list",
      ]);
      for (const run of flask) expect(run.requests > 0 && run.errors + run.non2xx === 0).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
