import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TourResults } from "../src/results.js";
import { flaskTargets, launch } from "../src/targets.js";
import { type Ran, runNode } from "./run-node.js";

interface Todo {
  id: string;
  content: string;
  created_at: number;
  is_finished: boolean;
  finished_at: number | null;
}

const bench = new URL("..", import.meta.url).pathname;
const root = join(bench, "..", "..");
const docsPage = join(root, "docs", "benchmarks.md");
const resultsDir = mkdtempSync(join(tmpdir(), "zto-bench-test-"));
// the docs folder the tours of this file may write to: never the repository's docs/
const docsDir = join(resultsDir, "docs");
mkdirSync(docsDir);
afterAll(() => rmSync(resultsDir, { recursive: true, force: true }));

const runCli = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  runNode(["dist/cli.js", ...args], env, 110_000);

// A real tour, as small as it gets: one round, one second per scenario, the two first stages.
describe("the benchmark tour (smoke: stages 01 and 02, autocannon, 1 s per scenario)", () => {
  const docsBefore = existsSync(docsPage) ? statSync(docsPage).mtimeMs : undefined;
  let tour: Ran;
  beforeAll(async () => {
    tour = await runCli([
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
      "--docs-dir",
      docsDir,
      "--no-flask",
    ]);
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
      expect(run.p99Ms).toBeGreaterThanOrEqual(run.p50Ms!);
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

  it("leaves the docs alone, being partial, and says where its results went and why in its last lines", () => {
    expect(readdirSync(docsDir)).toEqual([]);
    expect(existsSync(docsPage) ? statSync(docsPage).mtimeMs : undefined).toBe(docsBefore);
    expect(tour.stdout).not.toContain("wrote ");
    const [results, docs] = tour.stdout.trimEnd().split("\n").slice(-2);
    expect(results).toMatch(
      new RegExp(`^results: ${resultsDir}/tour-[\\dTZ-]+\\.json \\(and ${resultsDir}/latest\\.json\\)$`),
    );
    expect(docs).toBe(
      `${docsDir}/ left alone: not a full default tour (--stages 01,02; --duration 1, not 4; --warmup 0, not 1; ` +
        "--connections 10, not 100; --rounds 1, not 3; --rows 200, not 10,000). Only a full default tour " +
        "rewrites the published benchmarks; --docs writes them from this run anyway.",
    );
  });
});

describe("the docs of a partial tour (stage 01, hello, 1 s)", () => {
  const short = [
    "--stages",
    "01",
    "--scenarios",
    "hello",
    "--duration",
    "1",
    "--rounds",
    "1",
    "--warmup",
    "0",
  ];

  it("are written with --docs, to --docs-dir, saying the tour was partial", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      const run = await runCli([
        ...short,
        "--connections",
        "10",
        "--results-dir",
        dir,
        "--docs",
        "--docs-dir",
        dir,
      ]);
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(join(dir, "benchmarks")).sort()).toEqual(["chart.svg", "results.json"]);
      expect(readFileSync(join(dir, "benchmarks.md"), "utf8")).toContain("| hello | 01-hello |");
      expect(run.stdout).toContain(`wrote ${dir}/benchmarks.md`);
      expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(
        /^--docs: written from a partial tour \(--stages 01; --scenarios hello; /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("are never written with --no-docs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      const run = await runCli([
        ...short,
        "--tool",
        "autocannon",
        "--results-dir",
        dir,
        "--no-docs",
        "--docs-dir",
        dir,
      ]);
      expect(run.status, run.stderr).toBe(0);
      expect(readdirSync(dir).filter((f) => !f.endsWith(".json"))).toEqual([]);
      expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${dir}/ left alone (--no-docs)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the first lines of a tour", () => {
  it("point to npm run doctor for each optional program it could use and cannot find", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-bench-doctor-"));
    try {
      // an empty PATH: no k6, no redis-server (and no REDIS_URL), no Flask
      const env = { ...process.env, PATH: dir, REDIS_URL: "" };
      const args = ["--stages", "01,06", "--scenarios", "hello", "--duration", "1", "--rounds", "1"];
      args.push("--warmup", "0", "--connections", "10", "--results-dir", dir, "--no-docs");
      const run = await runCli(args, env);
      expect(run.status, run.stderr).toBe(0);
      expect(run.stderr.split("\n").slice(0, 3)).toEqual([
        "k6 not found: measuring with the bundled autocannon (--tool wrk uses wrk when installed); see npm run doctor",
        "redis-server not found: 06-cache skipped (or set REDIS_URL); see npm run doctor",
        expect.stringMatching(/^skipped flask: /),
      ]);
      expect(run.stderr).not.toContain("skipped 06-cache");
      const results = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as TourResults;
      expect(results.skipped.map((s) => s.id)).toContain("06-cache");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

const flaskMissing = spawnSync("gunicorn", ["--version"]).error !== undefined;
if (flaskMissing)
  console.log("skipped: the Flask references need python3-flask and gunicorn (apt-get install)");
const geventMissing = !flaskTargets().targets.some((t) => t.id === "flask-gevent");

describe.skipIf(flaskMissing)("the Flask references (when python3-flask and gunicorn are installed)", () => {
  it("runs the article's stack on the hello and list scenarios and stops it cleanly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zto-bench-flask-"));
    try {
      const args = ["dist/cli.js", "--tool", "wrk", "--stages", "01", "--scenarios", "hello,list"];
      args.push("--rounds", "1", "--duration", "1", "--warmup", "0", "--rows", "100", "--connections", "10");
      args.push("--results-dir", dir, "--no-docs");
      const { status, stderr } = await runNode(args);
      expect(status, stderr).toBe(0);
      const r = JSON.parse(readFileSync(join(dir, "latest.json"), "utf8")) as TourResults;
      const flask = r.runs.filter((run) => run.target.startsWith("flask"));
      const servers = ["flask-dev", "flask-gunicorn", ...(geventMissing ? [] : ["flask-gevent"])];
      expect(flask.map((run) => `${run.target} ${run.scenario}`).sort()).toEqual(
        servers.flatMap((id) => [`${id} hello`, `${id} list`]).sort(),
      );
      for (const run of flask) expect(run.requests > 0 && run.errors + run.non2xx === 0).toBe(true);
      const labels = r.targets.filter((t) => t.id.startsWith("flask-g")).map((t) => t.label);
      expect(labels[0]).toMatch(/^Flask \+ gunicorn \(\d+ sync workers\)$/);
      if (geventMissing) {
        expect(stderr).toContain("python3-gevent is not installed (apt-get install python3-gevent)");
      } else {
        expect(labels[1]).toMatch(/^Flask \+ gunicorn \(\d+ gevent workers\)$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("answers the very todos stage 03's seed script writes, newest first", async () => {
    const [dev] = flaskTargets().targets;
    const server = await launch(dev!, { rows: 30, workers: 1 });
    try {
      const { data } = (await (await fetch(`${server.url}/todo?limit=100`)).json()) as { data: Todo[] };
      expect(data).toHaveLength(30);
      expect(data.map((t) => t.content)).toEqual(
        Array.from({ length: 30 }, (_, i) => `seeded todo ${30 - i} of 30`),
      );
      // stage 03's seed: one second apart, every third one finished a minute after it was created
      for (const [i, todo] of data.entries()) {
        expect(Object.keys(todo)).toEqual(["id", "content", "created_at", "is_finished", "finished_at"]);
        expect(todo.created_at).toBe(data[0]!.created_at - i);
        expect(todo.finished_at).toBe((30 - i) % 3 === 0 ? todo.created_at + 60 : null);
      }
    } finally {
      await server.stop();
    }
  }, 60_000);
});
