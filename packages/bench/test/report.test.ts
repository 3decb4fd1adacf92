import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderChart } from "../src/chart.js";
import { fillMarkers, writeDocs } from "../src/docs.js";
import { prettyJson } from "../src/json.js";
import { DEFAULTS, partialBecause } from "../src/published.js";
import {
  type Run,
  type TourResults,
  addHalves,
  measuredRun,
  median,
  readResults,
  summarize,
  toolCeilingFrom,
} from "../src/results.js";
import { SCENARIOS } from "../src/scenarios.js";
import { SQLITE, type StoreInfo, databaseFor, withDatabase } from "../src/store.js";
import { textTable } from "../src/table.js";

const targets = [
  { id: "ref-hello", label: "raw node:http hello", kind: "reference" as const, stage: 0 },
  { id: "01-hello", label: "01-hello", kind: "stage" as const, stage: 1 },
  { id: "02-memory", label: "02-memory", kind: "stage" as const, stage: 2 },
  { id: "07-queue", label: "07-queue", kind: "stage" as const, stage: 7 },
];
const run = (round: number, target: string, scenario: string, requestsPerSec: number, p99Ms = 10): Run => ({
  round,
  target,
  scenario,
  requests: requestsPerSec * 5,
  durationSec: 5,
  requestsPerSec,
  p50Ms: 1,
  p99Ms,
  errors: 0,
  non2xx: round === 2 ? 3 : 0,
});
const runs = [
  run(1, "ref-hello", "hello", 50_000),
  run(2, "ref-hello", "hello", 40_000),
  run(3, "ref-hello", "hello", 45_000),
  run(1, "01-hello", "hello", 30_000, 5),
  run(2, "01-hello", "hello", 10_000, 50),
  run(3, "01-hello", "hello", 36_000, 7),
  run(1, "02-memory", "hello", 27_000),
  run(2, "02-memory", "hello", 9_000),
  run(3, "02-memory", "hello", 24_000),
  run(1, "02-memory", "create", 2_000),
];
/** list-during-exports: one run per condition and round, with the exports completed in the window. */
const exportRun = (
  round: number,
  condition: "idle" | "queue" | "inline",
  p99Ms: number,
  exports: number,
): Run => ({
  ...run(round, "07-queue", "list-during-exports", 10_000 / p99Ms, p99Ms),
  non2xx: 0,
  condition,
  exportsCompleted: exports,
  exportErrors: condition === "queue" && round === 1 ? 2 : 0,
  connections: 10,
  p90Ms: p99Ms / 2,
  maxMs: p99Ms * 3,
});
const exportRuns = [
  exportRun(1, "idle", 2, 0),
  exportRun(1, "queue", 5, 60),
  exportRun(1, "inline", 90, 250),
  exportRun(2, "idle", 4, 0),
  exportRun(2, "queue", 14, 70),
  exportRun(2, "inline", 40, 200),
  exportRun(3, "idle", 3, 0),
  exportRun(3, "queue", 6, 80),
  exportRun(3, "inline", 100, 300),
];

function results(withExports = false): TourResults {
  const all = withExports ? [...runs, ...exportRuns] : runs;
  return {
    schema: "zero-to-one/bench-results@1",
    date: "2026-11-26T23:00:00.000Z",
    wallSec: 60,
    machine: {
      cpuModel: "Test <CPU>",
      cores: 2,
      memoryGiB: 24,
      os: "Linux",
      node: "v20.20.2",
      loadAverage: { start: 1, end: 1 },
    },
    tool: { name: "autocannon", version: "autocannon 9.0.0", why: "test" },
    settings: {
      store: SQLITE,
      durationSec: 5,
      warmupSec: 1,
      connections: 100,
      rounds: 3,
      rows: 10_000,
      workers: 2,
    },
    targets: targets.map((t) => ({ ...t, scenarios: ["hello"], startup: "" })),
    skipped: [],
    failures: [],
    runs: all,
    summary: summarize(all, targets),
  };
}

describe("the summary", () => {
  it("takes the median of each metric over the rounds, so one noisy round does not move it", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const row = results().summary.find((r) => r.target === "01-hello")!;
    expect(row).toMatchObject({ rounds: 3, requestsPerSec: 30_000, p99Ms: 7, non2xx: 3 });
  });

  it("compares a stage with the stage before and with the reference server of its scenario", () => {
    const rows = results().summary;
    expect(rows.map((r) => `${r.scenario} ${r.target}`)).toEqual([
      "hello ref-hello",
      "hello 01-hello",
      "hello 02-memory",
      "create 02-memory",
    ]);
    const memory = rows.find((r) => r.target === "02-memory" && r.scenario === "hello")!;
    expect(memory.vsPrevious).toEqual({ to: "01-hello", ratio: 0.8 });
    expect(memory.vsCeiling).toEqual({ to: "ref-hello", ratio: 24_000 / 45_000 });
    expect(rows.find((r) => r.target === "01-hello")!.vsPrevious).toBeNull();
    expect(rows.find((r) => r.scenario === "create")!.vsCeiling).toBeNull();
  });

  it("prints one row per server and scenario with the ratios", () => {
    const table = textTable(results());
    expect(table).toMatch(/hello\s+02-memory\s+24,000\s+1\.00\s+10\.0\s+0 \/ 3\s+0\.80× \(01\)\s+53%/);
  });
});

describe("the tool's ceiling", () => {
  // ref-hello's median is 45,000 req/s; 90% of it is 40,500
  const atCeiling = () => {
    const r = results();
    r.runs = [...r.runs, run(1, "07-queue", "hello", 41_000), run(2, "07-queue", "hello", 60_000)];
    r.runs.push(run(3, "07-queue", "hello", 40_000));
    r.summary = summarize(r.runs, targets);
    return r;
  };

  it("is the median of ref-hello's hello rounds, and marks every row within 10% of it or above", () => {
    const rows = atCeiling().summary;
    const flagged = rows.filter((r) => r.atToolCeiling).map((r) => `${r.scenario} ${r.target}`);
    expect(flagged).toEqual(["hello ref-hello", "hello 07-queue"]);
    expect(rows.find((r) => r.target === "01-hello")).not.toHaveProperty("atToolCeiling");
    // a ceiling measured on its own (a tour without hello) marks the rows the same way
    const alone = summarize(
      runs.filter((r) => r.target !== "ref-hello"),
      targets,
      { requestsPerSec: 31_000 },
    );
    expect(alone.filter((r) => r.atToolCeiling).map((r) => r.target)).toEqual(["01-hello"]);
    expect(
      summarize(
        runs.filter((r) => r.target !== "ref-hello"),
        targets,
      ).some((r) => r.atToolCeiling),
    ).toBe(false);
  });

  it("marks those rows in the table, the chart and the page, and says what the mark means", () => {
    const r = { ...atCeiling(), toolCeiling: toolCeilingFrom(atCeiling())! };
    expect(r.toolCeiling).toEqual({
      target: "ref-hello",
      scenario: "hello",
      tool: "autocannon 9.0.0",
      connections: 100,
      requestsPerSec: 45_000,
      rounds: 3,
      from: "hello rows",
    });
    const table = textTable(r);
    expect(table).toMatch(/hello\s+07-queue\s+41,000 ‡/);
    expect(table).toMatch(/hello\s+01-hello\s+30,000\s/);
    expect(table.split("\n").at(-1)).toBe(
      "‡ at the tool's ceiling: this row may measure the load generator, not the server (its req/s is " +
        "within 10% of, or above, what autocannon 9.0.0 measures on raw node:http hello at 100 connections: 45,000)",
    );
    expect(renderChart(r)).toContain(">41,000 ‡</text>");
    const root = mkdtempSync(join(tmpdir(), "zto-bench-ceiling-"));
    try {
      writeDocs(r, root);
      const page = readFileSync(join(root, "benchmarks.md"), "utf8");
      expect(page).toContain("| hello | 07-queue | 41,000 ‡ |");
      expect(page).toContain("In this run: hello on raw node:http hello, hello on 07-queue.");
      expect(page).toContain("In this run: 45,000 req/s with autocannon 9.0.0 at 100 connections");
      expect(page).toContain("The `hello` rows of `raw node:http hello` are exactly that measurement");
      // an older file has no toolCeiling: it is derived from its ref-hello rows when read
      const { toolCeiling: _, ...old } = r;
      old.summary = old.summary.map(({ atToolCeiling: _flag, ...row }) => row);
      writeFileSync(join(root, "old.json"), JSON.stringify(old));
      const read = readResults(join(root, "old.json"));
      expect(read.toolCeiling).toEqual(r.toolCeiling);
      expect(read.summary.filter((row) => row.atToolCeiling)).toHaveLength(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("leaves the table unmarked, and the page says so, when it was not measured", () => {
    const r = results();
    r.summary = summarize(
      r.runs.filter((run) => run.target !== "ref-hello"),
      targets,
    );
    expect(textTable(r)).not.toContain("‡");
    const root = mkdtempSync(join(tmpdir(), "zto-bench-ceiling-"));
    try {
      writeDocs(r, root);
      const page = readFileSync(join(root, "benchmarks.md"), "utf8");
      expect(page).toContain("This run has no measurement of the tool's ceiling");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a window measured in two halves", () => {
  const half = (requests: number, durationSec: number, p50Ms: number, p99Ms: number) => ({
    requests,
    durationSec,
    requestsPerSec: requests / durationSec,
    p50Ms,
    p99Ms,
    p90Ms: p50Ms * 2,
    maxMs: p99Ms * 2,
    errors: 1,
    non2xx: 2,
  });

  it("adds the halves up: requests, time and errors, with latencies weighted by requests", () => {
    expect(addHalves(half(3_000, 2, 1, 10), half(1_000, 2, 5, 30))).toEqual({
      requests: 4_000,
      durationSec: 4,
      requestsPerSec: 1_000,
      p50Ms: 2,
      p90Ms: 4,
      p99Ms: 15,
      maxMs: 60,
      errors: 2,
      non2xx: 4,
      halvesPerSec: [1_500, 500],
    });
  });

  it("keeps the latencies of the half that answered when the other answered nothing", () => {
    const both = addHalves(half(0, 1, 0, 0), half(500, 1, 4, 8));
    expect(both).toMatchObject({ requests: 500, requestsPerSec: 250, p50Ms: 4, p99Ms: 8 });
    const silent = measuredRun(addHalves(half(0, 1, 0, 0), half(0, 1, 0, 0)), 1, {
      round: 1,
      target: "02-memory",
      scenario: "list",
    });
    expect(silent).toMatchObject({ requests: 0, p50Ms: null, p99Ms: null, noAnswerWithinSec: 1 });
    expect(silent).not.toHaveProperty("maxMs");
  });
});

describe("the rows measured while exports run", () => {
  it("say in the docs when the measured load kept a steady rate (wrk, k6)", () => {
    const root = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      mkdirSync(join(root, "docs"));
      const paced = results(true);
      paced.runs = paced.runs.map((run) => (run.condition ? { ...run, ratePerSec: 1_000 } : run));
      writeDocs(paced, join(root, "docs"));
      const page = readFileSync(join(root, "docs", "benchmarks.md"), "utf8");
      expect(page).toContain("at a steady 1,000 requests per second over 10 connections");
      expect(page).not.toContain("cannot hold a steady");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("have one row per condition with the medians, the exports per window and no ratios", () => {
    const rows = results(true).summary.filter((r) => r.scenario === "list-during-exports");
    expect(rows.map((r) => r.condition)).toEqual(["idle", "queue", "inline"]);
    expect(rows.map((r) => r.p99Ms)).toEqual([3, 6, 90]);
    expect(rows.map((r) => r.p90Ms)).toEqual([1.5, 3, 45]);
    expect(rows.map((r) => r.exportsCompleted)).toEqual([0, 70, 250]);
    expect(rows.map((r) => r.exportErrors)).toEqual([0, 2, 0]);
    for (const row of rows) expect([row.rounds, row.vsPrevious, row.vsCeiling]).toEqual([3, null, null]);
    // the other rows are summarized as before: no condition, no export fields
    const hello = results(true).summary.find((r) => r.target === "01-hello")!;
    expect(hello.condition).toBeUndefined();
    expect(hello.exportsCompleted).toBeUndefined();
  });

  it("print in a table of their own, after the main table", () => {
    const table = textTable(results(true));
    const [main, exporting] = table.split("GET /todo while exports run:");
    expect(main).not.toContain("list-during-exports");
    expect(exporting).toMatch(/07-queue\s+idle \(no exports\)\s+3,333\s+1\.00\s+3\.00\s+0\s+0 \/ 0/);
    expect(exporting).toMatch(/exports on the queue \+ 1 worker\s+1,667\s+1\.00\s+6\.00\s+70 \(2 failed\)/);
    expect(exporting).toMatch(/the same exports inline \(\?inline=1\)\s+111\s+1\.00\s+90\.0\s+250\s/);
    expect(textTable(results())).not.toContain("while exports run");
  });

  it("get their own section in docs/benchmarks.md and are named by condition in markers", () => {
    const root = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      mkdirSync(join(root, "docs"));
      const chapter = [
        "queue: <!-- bench:value 07 list-during-exports:queue p99 -->old<!-- /bench:value -->,",
        "inline: <!-- bench:value 07 list-during-exports:inline p99 -->old<!-- /bench:value -->,",
        "<!-- bench:value 07 list-during-exports:inline exports -->old<!-- /bench:value --> exports",
      ].join("\n");
      writeFileSync(join(root, "docs", "07-queue.md"), chapter);
      const written = writeDocs(results(true), join(root, "docs"));
      expect(written.map((f) => f.slice(root.length))).toEqual([
        "/docs/benchmarks/results.json",
        "/docs/benchmarks/chart.svg",
        "/docs/benchmarks.md",
        "/docs/zh/benchmarks.md",
        "/docs/07-queue.md",
      ]);
      const page = readFileSync(join(root, "docs", "benchmarks.md"), "utf8");
      const section = page.slice(page.indexOf("## GET /todo while exports run (stage 07)"));
      expect(section).toMatch(
        /\| server \| while… \| GET \/todo req\/s \| p50 ms \| p99 ms \| exports completed \| errors \/ non-2xx \|/,
      );
      expect(section).toContain("| 07-queue | idle (no exports) | 3,333 | 1.00 | 3.00 | 0 | 0 / 0 |");
      expect(section).toContain(
        "| 07-queue | the same exports inline (?inline=1) | 111 | 1.00 | 90.0 | 250 | 0 / 0 |",
      );
      expect(section).toContain("at 10 connections as fast as they go (with autocannon");
      expect(section).toContain("cannot hold a steady");
      const main = page.slice(page.indexOf("## The numbers"), page.indexOf("## GET /todo while exports run"));
      expect(main).not.toContain("list-during-exports");
      expect(page).toContain("k6 was not installed on the machine of this run");
      expect(readFileSync(join(root, "docs", "07-queue.md"), "utf8")).toBe(
        [
          "queue: <!-- bench:value 07 list-during-exports:queue p99 -->6.00 ms<!-- /bench:value -->,",
          "inline: <!-- bench:value 07 list-during-exports:inline p99 -->90.0 ms<!-- /bench:value -->,",
          "<!-- bench:value 07 list-during-exports:inline exports -->250<!-- /bench:value --> exports",
        ].join("\n"),
      );
      const json = JSON.parse(
        readFileSync(join(root, "docs", "benchmarks", "results.json"), "utf8"),
      ) as TourResults;
      expect(json.runs.filter((r) => r.condition)).toHaveLength(9);
      expect(renderChart(results(true))).toContain(">07-queue · inline</text>");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("are missing from older results files, which still render, saying the page has none", () => {
    const old = results();
    for (const r of old.runs) {
      delete r.p90Ms;
      delete r.maxMs;
    }
    old.summary = summarize(old.runs, targets);
    expect(old.summary[0]!.p90Ms).toBeUndefined();
    expect(textTable(old)).not.toContain("while exports run");
    const root = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      mkdirSync(join(root, "docs"));
      writeDocs(old, join(root, "docs"));
      const page = readFileSync(join(root, "docs", "benchmarks.md"), "utf8");
      expect(page).toContain(
        "## GET /todo while exports run (stage 07)\n\nThis run did not measure it (see *Left out of this run* below).",
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("the docs", () => {
  it("fills bench markers in a chapter and leaves unknown ones alone", () => {
    const warnings: string[] = [];
    const chapter = [
      "Stage 02 answers <!-- bench:value 02 hello rps -->old<!-- /bench:value --> hellos per second,",
      "<!-- bench:value 02 hello vs-previous -->old<!-- /bench:value --> of stage 01.",
      "<!-- bench:table 02 create -->",
      "stale",
      "<!-- /bench:table -->",
      "<!-- bench:value 04 list rps -->kept<!-- /bench:value -->",
    ].join("\n");
    const filled = fillMarkers(chapter, results(), (w) => warnings.push(w));
    expect(filled).toContain("<!-- bench:value 02 hello rps -->24,000<!-- /bench:value -->");
    expect(filled).toContain("<!-- bench:value 02 hello vs-previous -->0.80×<!-- /bench:value -->");
    expect(filled).toMatch(
      /<!-- bench:table 02 create -->\n\| scenario \| req\/s \| p99 ms \| vs stage before \|/,
    );
    expect(filled).toContain("| create | 2,000 | 10.0 |  |");
    expect(filled).not.toContain("stale");
    expect(filled).toContain("<!-- bench:value 04 list rps -->kept<!-- /bench:value -->");
    expect(warnings).toEqual([expect.stringContaining("bench:value 04 list rps")]);
    expect(fillMarkers(filled, results(), () => {})).toBe(filled);
  });

  it("draws a bar and a p99 bar per row, on a log scale, with text escaped", () => {
    const svg = renderChart(results());
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<rect x="\d+" y="\d+" width/g)).toHaveLength(2 * results().summary.length);
    expect(svg).toContain("Test &lt;CPU&gt;");
    expect(svg).toContain(">10k</text>");
  });

  it("writes JSON the way prettier does: arrays of plain values on one line when they fit", () => {
    expect(prettyJson({ a: [1, 2], b: { c: [] }, d: [{ e: "x" }] })).toBe(
      '{\n  "a": [1, 2],\n  "b": {\n    "c": []\n  },\n  "d": [\n    {\n      "e": "x"\n    }\n  ]\n}\n',
    );
    const long = Array.from({ length: 30 }, (_, i) => `item-${i}`);
    expect(prettyJson({ long }).split("\n")).toHaveLength(35);
  });
});

describe("the scenarios", () => {
  it("give every tool the same requests, from the first stage that can answer them", () => {
    const facts = { rows: 10_000, deepStart: 9_990, deepCursor: "abc=", ids: ["a", "b", "c"] };
    const plans = Object.fromEntries(SCENARIOS.map((s) => [s.name, s.plan(facts)]));
    expect(plans["list-deep-offset"]).toEqual([{ method: "GET", path: "/todo?start=9990&limit=10" }]);
    expect(plans["list-deep-keyset"]).toEqual([{ method: "GET", path: "/todo?before=abc%3D&limit=10" }]);
    const mixed = plans["mixed"]!;
    expect(mixed.filter((r) => r.method === "GET")).toHaveLength(8);
    expect(mixed.filter((r) => r.method === "POST")).toHaveLength(1);
    expect(mixed.filter((r) => r.method === "PUT").map((r) => r.path)).toEqual(["/todo/c/finish"]);
    expect(SCENARIOS.map((s) => [s.name, s.fromStage])).toEqual([
      ["hello", 1],
      ["list", 2],
      ["list-deep-offset", 3],
      ["list-deep-keyset", 4],
      ["list-during-exports", 7],
      ["list-c1000", 5],
      ["list-tls", 8],
      ["mixed", 2],
      ["create", 2],
    ]);
  });
});

/** A window of `seconds` in which not one request was answered. */
const silent = (round: number, target: string, scenario: string, seconds = 5): Run => ({
  round,
  target,
  scenario,
  requests: 0,
  durationSec: seconds,
  requestsPerSec: 0,
  p50Ms: null,
  p99Ms: null,
  errors: 0,
  non2xx: 0,
  noAnswerWithinSec: seconds,
});

describe("rows that answered nothing in the window", () => {
  const servers = [
    { id: "ref-page", label: "raw node:http page", kind: "reference" as const, stage: 0 },
    { id: "02-memory", label: "02-memory", kind: "stage" as const, stage: 2 },
    { id: "03-mongo", label: "03-mongo", kind: "stage" as const, stage: 3 },
  ];
  const slow = (): TourResults => {
    const all = [
      run(1, "ref-page", "list", 50_000),
      silent(1, "02-memory", "list"),
      run(1, "03-mongo", "list", 400),
      silent(1, "02-memory", "mixed"),
      silent(1, "03-mongo", "mixed"),
      ...[
        silent(1, "02-memory", "create"),
        run(2, "02-memory", "create", 300),
        run(3, "02-memory", "create", 310),
      ],
      ...[
        silent(1, "03-mongo", "create"),
        silent(2, "03-mongo", "create"),
        run(3, "03-mongo", "create", 280),
      ],
    ];
    return {
      ...results(),
      targets: servers.map((t) => ({ ...t, scenarios: ["list"], startup: "" })),
      runs: all,
      summary: summarize(all, servers),
    };
  };
  const row = (target: string, scenario: string) =>
    slow().summary.find((r) => r.target === target && r.scenario === scenario)!;

  it("are below 1 / window, without latencies, and the ratios they take part in are bounds", () => {
    expect(row("02-memory", "list")).toMatchObject({
      requestsPerSec: 0,
      p50Ms: null,
      p99Ms: null,
      noAnswerWithinSec: 5,
    });
    expect(row("02-memory", "list").vsCeiling).toEqual({
      to: "ref-page",
      ratio: 0.2 / 50_000,
      bound: "at-most",
    });
    expect(row("03-mongo", "list").vsPrevious).toEqual({ to: "02-memory", ratio: 2_000, bound: "at-least" });
    expect(row("03-mongo", "mixed").vsPrevious).toBeNull();
    expect(JSON.stringify(slow())).not.toMatch(/NaN|Infinity/);
  });

  it("keep the median of the rounds when only some rounds had no answer, and count those", () => {
    expect(row("02-memory", "create")).toMatchObject({
      requestsPerSec: 300,
      p99Ms: 10,
      roundsWithoutAnswer: 1,
    });
    expect(row("02-memory", "create").noAnswerWithinSec).toBeUndefined();
    expect(row("03-mongo", "create")).toMatchObject({
      requestsPerSec: 0,
      roundsWithoutAnswer: 2,
      noAnswerWithinSec: 5,
    });
  });

  it("print what is known in the table and in the chapters' markers", () => {
    const table = textTable(slow());
    expect(table).toMatch(
      /list\s+02-memory\s+< 0\.2 req\/s \(no answer within 5 s\)\s+–\s+–\s+0 \/ 0\s+< 0\.1%/,
    );
    expect(table).toMatch(/list\s+03-mongo\s+400\s+1\.00\s+10\.0\s+0 \/ 0\s+> 2000× \(02\)/);
    expect(table).toMatch(/create\s+02-memory\s+300 \(no answer in 1 of 3 rounds\)/);
    expect(table).toContain("< 0.2 req/s (no answer within 5 s in 2 of 3 rounds)");
    const chapter = [
      "<!-- bench:value 02 list rps -->old<!-- /bench:value -->",
      "<!-- bench:value 02 list p99 -->old<!-- /bench:value -->",
      "<!-- bench:value 03 list vs-previous -->old<!-- /bench:value -->",
    ].join("\n");
    const warnings: string[] = [];
    expect(fillMarkers(chapter, slow(), (w) => warnings.push(w)).split("\n")).toEqual([
      "<!-- bench:value 02 list rps -->< 0.2<!-- /bench:value -->",
      "<!-- bench:value 02 list p99 -->old<!-- /bench:value -->",
      "<!-- bench:value 03 list vs-previous -->> 2000×<!-- /bench:value -->",
    ]);
    expect(warnings).toEqual([expect.stringContaining("bench:value 02 list p99")]);
  });
});

describe("the store of stages 03+", () => {
  const ferret: StoreInfo = {
    kind: "mongo",
    product: "FerretDB",
    version: "v1.24.2",
    label: "FerretDB v1.24.2 (MongoDB wire protocol)",
    from: "throwaway",
  };
  const withStage03 = (store: StoreInfo): TourResults => {
    const r = results();
    r.settings.store = store;
    r.targets.push({
      id: "03-mongo",
      label: "03-mongo",
      kind: "stage",
      stage: 3,
      scenarios: ["hello"],
      startup: "",
    });
    return r;
  };
  const named =
    "stages 03+ on FerretDB v1.24.2 (MongoDB wire protocol) — not MongoDB (a throwaway server the tour started, a database per stage)";

  it("heads the table and the chart, and FerretDB is never called MongoDB", () => {
    expect(textTable(withStage03(ferret)).split("\n")[0]).toBe(named);
    expect(renderChart(withStage03(ferret))).toContain(`class="subtitle">${named}</text>`);
    expect(textTable(withStage03(SQLITE)).split("\n")[0]).toBe(
      "stages 03+ on SQLite, a fresh file per stage and round",
    );
    const real = {
      ...ferret,
      product: "MongoDB" as const,
      version: "7.0.14",
      label: "MongoDB 7.0.14",
      from: "MONGO_URL" as const,
    };
    expect(textTable(withStage03(real)).split("\n")[0]).toBe(
      "stages 03+ on MongoDB 7.0.14 (at MONGO_URL, a database per stage)",
    );
    // a tour without stages 03+ names no store
    const early = results();
    early.targets = early.targets.filter((t) => t.stage < 3);
    expect(textTable(early)).toMatch(/^scenario\s+server/);
  });

  it("is named on the page and beside the numbers quoted in chapters", () => {
    const root = mkdtempSync(join(tmpdir(), "zto-bench-docs-"));
    try {
      writeFileSync(join(root, "01-hello.md"), "<!-- bench:table 01 -->\n<!-- /bench:table -->\n");
      writeDocs(withStage03(ferret), root);
      const page = readFileSync(join(root, "benchmarks.md"), "utf8");
      expect(page).toContain(
        "**Stages 03 and later ran on FerretDB v1.24.2 (MongoDB wire protocol), not on MongoDB**",
      );
      expect(page).toContain("into a database of their own (`zto_bench_03_mongo`, …) on FerretDB v1.24.2");
      expect(readFileSync(join(root, "01-hello.md"), "utf8")).toContain(
        `10,000 todos, ${named}; see [Benchmarks]`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads older results files, whose store was only a word", () => {
    const root = mkdtempSync(join(tmpdir(), "zto-bench-old-"));
    try {
      const old = { ...results(), settings: { ...results().settings, store: "sqlite" } };
      writeFileSync(join(root, "results.json"), JSON.stringify(old));
      expect(readResults(join(root, "results.json")).settings.store).toEqual(SQLITE);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("gives each stage a database of its own on the same server, keeping its credentials working", () => {
    expect(databaseFor("03-mongo")).toBe("zto_bench_03_mongo");
    expect(withDatabase("mongodb://127.0.0.1:27017/", "x")).toBe("mongodb://127.0.0.1:27017/x");
    expect(withDatabase("mongodb://127.0.0.1:27017", "x")).toBe("mongodb://127.0.0.1:27017/x");
    expect(withDatabase("mongodb://h:1/todo?retryWrites=true&w=majority", "x")).toBe(
      "mongodb://h:1/x?retryWrites=true&w=majority",
    );
    expect(withDatabase("mongodb://me:pw@a:1,b:2/todo", "x")).toBe(
      "mongodb://me:pw@a:1,b:2/x?authSource=todo",
    );
    expect(withDatabase("mongodb+srv://me:pw@db.example.net", "x")).toBe(
      "mongodb+srv://me:pw@db.example.net/x?authSource=admin",
    );
    expect(withDatabase("mongodb://me:pw@h/todo?authSource=admin", "x")).toBe(
      "mongodb://me:pw@h/x?authSource=admin",
    );
    expect(() => withDatabase("postgres://h/db", "x")).toThrow("not a mongodb:// URL");
  });
});

describe("which tours rewrite the published docs", () => {
  const all = ["01-hello", "02-memory", "03-mongo", "07-queue"];
  const full = (): TourResults => {
    const r = results();
    r.settings = { ...r.settings, ...DEFAULTS, store: SQLITE };
    r.targets = all.map((id) => ({
      id,
      label: id,
      kind: "stage",
      stage: Number(id.slice(0, 2)),
      scenarios: [],
      startup: "",
    }));
    return r;
  };

  it("only a full default tour: every stage and scenario, the default settings, SQLite, nothing lost", () => {
    expect(partialBecause(full(), {}, all)).toEqual([]);
    expect(partialBecause(full(), { stages: [1, 2, 3, 7] }, all)).toEqual([]);
    expect(partialBecause(full(), { scenarios: SCENARIOS.map((s) => s.name) }, all)).toEqual([]);
    // the page says when the Flask rows are missing, so they do not make a tour partial
    const noFlask = { ...full(), skipped: [{ id: "flask", reason: "Flask is not installed" }] };
    expect(partialBecause(noFlask, {}, all)).toEqual([]);
  });

  it("says why any other tour is partial", () => {
    expect(partialBecause(full(), { stages: [1, 2], scenarios: ["hello"] }, all)).toEqual([
      "--stages 01,02",
      "--scenarios hello",
    ]);
    const short = full();
    short.settings = { ...short.settings, durationSec: 1, rounds: 1, rows: 200 };
    expect(partialBecause(short, {}, all)).toEqual([
      "--duration 1, not 4",
      "--rounds 1, not 3",
      "--rows 200, not 10,000",
    ]);
    const noRedis = full();
    noRedis.targets = noRedis.targets.filter((t) => t.id !== "07-queue");
    noRedis.skipped = [{ id: "07-queue", reason: "it needs Redis" }];
    expect(partialBecause(noRedis, {}, all)).toEqual(["not measured: 07-queue"]);
    const queueless = {
      ...full(),
      skipped: [{ id: "07-queue list-during-exports queue", reason: "no worker" }],
    };
    expect(partialBecause(queueless, {}, all)).toEqual(["left out: 07-queue list-during-exports queue"]);
    const broken = { ...full(), failures: [{ id: "03-mongo", reason: "could not start" }] };
    expect(partialBecause(broken, {}, all)).toEqual(["1 failure(s)"]);
    const mongo = full();
    mongo.settings.store = {
      kind: "mongo",
      product: "MongoDB",
      version: "7.0.14",
      label: "MongoDB 7.0.14",
      from: "MONGO_URL",
    };
    expect(partialBecause(mongo, {}, all)).toEqual(["--store mongo"]);
  });
});
