import { describe, expect, it } from "vitest";
import { renderChart } from "../src/chart.js";
import { fillMarkers } from "../src/docs.js";
import { prettyJson } from "../src/json.js";
import { type Run, type TourResults, median, summarize } from "../src/results.js";
import { SCENARIOS } from "../src/scenarios.js";
import { textTable } from "../src/table.js";

const targets = [
  { id: "ref-hello", label: "raw node:http hello", kind: "reference" as const, stage: 0 },
  { id: "01-hello", label: "01-hello", kind: "stage" as const, stage: 1 },
  { id: "02-memory", label: "02-memory", kind: "stage" as const, stage: 2 },
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

function results(): TourResults {
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
      store: "sqlite",
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
    runs,
    summary: summarize(runs, targets),
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
      ["mixed", 2],
      ["create", 2],
    ]);
  });
});
