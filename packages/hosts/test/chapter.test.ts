import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { drillsBlock, scaleBlock, writeDrillsDocs, writeScaleDocs } from "../src/chapter.js";
import type { DrillRow } from "../src/drill.js";
import type { DrillResults } from "../src/drills-run.js";
import type { ScaleResults } from "../src/scale.js";

const machine = { cores: 2, cpuModel: "AMD EPYC", node: "v20.20.2" };

const row = (drill: string, more: Partial<DrillRow> = {}): DrillRow => ({
  drill,
  failure: "",
  startedAt: "2026-11-29T06:00:00.000Z",
  durationS: 20,
  requests: 1277,
  errors: { "5xx": 221, "429": 0, "401": 3, "4xx": 0, network: 1 },
  wholeAfterS: 9.46,
  slowestS: 2.04,
  acknowledgedWrites: 1020,
  writesLost: 0,
  jobs: 12,
  jobsLost: 0,
  jobsRunTwice: 1,
  facts: {},
  notes: [],
  ...more,
});

const drills: DrillResults = {
  when: "2026-11-29T06:06:04.851Z",
  stage: "09-scale-out",
  apiHosts: 3,
  loadPerSec: 40,
  settings: { raiseLimits: true, appEnv: { JOB_LOCK_MS: "4000", EXPORT_PAGE_SIZE: "10" } },
  ...machine,
  rows: [row("kill-redis-primary"), row("restore", { wholeAfterS: null, lostSinceBackup: 14 })],
};

const scaleRow = (scenario: "list" | "mixed", apiHosts: number, requestsPerSec: number, ratio: number) => ({
  scenario,
  apiHosts,
  requestsPerSec,
  ratio,
  p99Ms: 80,
  errors: 0,
  non2xx: 0,
});

const scale: ScaleResults = {
  when: "2026-11-29T07:00:00.000Z",
  stage: "09-scale-out",
  tool: "autocannon 9.0.0",
  cpuCap: 0.4,
  durationSec: 8,
  rounds: 3,
  connections: 16,
  ...machine,
  caps: { api1: 0.4, api2: 0.4, api3: 0.4 },
  throttledPeriods: { api1: 310, api2: 298, api3: 305 },
  delay: "no added latency between hosts: this kernel has no netem",
  runs: [],
  rows: [scaleRow("list", 1, 250, 1), scaleRow("list", 3, 1524.4, 1.65), scaleRow("mixed", 1, 87, 1)],
  cpuWithAllHosts: [
    {
      scenario: "list",
      shares: [
        { part: "api1 node", cores: 0.38, cap: 0.4 },
        { part: "db2 ferretdb", cores: 0.2 },
        { part: "worker1 node", cores: 0 },
      ],
      machineBusyCores: 1.5,
      bottleneck: "the next bottleneck: db2 ferretdb",
    },
    {
      scenario: "mixed",
      shares: [
        { part: "db1 ferretdb", cores: 0.41 },
        { part: "api1 node", cores: 0.3, cap: 0.4 },
      ],
      machineBusyCores: 1.8,
      bottleneck: "the machine's own cores are the next bottleneck",
    },
  ],
};

describe("the chapter's generated tables", () => {
  it("show a row per drill with its errors by kind, its losses, and an em dash where a column does not apply", () => {
    const block = drillsBlock(drills);
    expect(block).toContain(
      "| `kill-redis-primary` | 1,277 | 221 | 0 | 3 | 0 | 1 | 9.5 s | 2.0 s | 1,020 | 0 | – | 12 | 0 | 1 |",
    );
    expect(block).toContain(
      "| `restore` | 1,277 | 221 | 0 | 3 | 0 | 1 | never | 2.0 s | 1,020 | 0 | 14 | 12 | 0 | 1 |",
    );
    expect(block).toContain("40 a second");
    expect(block).toMatch(
      /<sub>2026-11-29, 2 cores \(AMD EPYC\) shared by every host, Node v20\.20\.2; stage 09-scale-out on 3 API hosts; the drills' settings: JOB_LOCK_MS=4000, EXPORT_PAGE_SIZE=10, .*`docs\/benchmarks\/drills\.json`\.<\/sub>/,
    );
  });

  it("show req/s by API hosts, and for each scenario where the CPU went (what used none left out) and the bottleneck named", () => {
    const block = scaleBlock(scale);
    expect(block).toContain("| `list` | 3 | 1,524 | 1.65× | 80 | 0 | 0 |");
    // each scenario's CPU, then what the program reads from it
    expect(block).toContain("| api1 node | 0.38 | 0.4 |");
    expect(block).toContain("| db2 ferretdb | 0.20 | – |");
    expect(block).toContain("| db1 ferretdb | 0.41 | – |");
    expect(block).not.toContain("worker1");
    expect(block.indexOf("`list`: the next bottleneck: db2 ferretdb.")).toBeLessThan(
      block.indexOf("**`mixed`**"),
    );
    expect(block).toContain("`mixed`: the machine's own cores are the next bottleneck.");
    // the ratio of the most hosts, read in words for each scenario
    expect(block).toContain(
      "**`list`**: 3 API hosts answered 1.65× what one did: more hosts added capacity.",
    );
    expect(block).toContain("**`mixed`**: Where the CPU went");
    expect(block).toContain("capped at 0.4 of a core");
    expect(block).toContain("this kernel has no netem");
    expect(block).toContain("3 rounds × 8 s per configuration");
  });

  it("are written between their markers in both languages, with the results beside them", () => {
    const docs = mkdtempSync(join(tmpdir(), "zto-hosts-docs-"));
    mkdirSync(join(docs, "zh"));
    const page = (words: string) =>
      `# 09\n\n${words}\n\n<!-- bench:drills -->\nold\n<!-- /bench:drills -->\n\n<!-- bench:scale -->\nold\n<!-- /bench:scale -->\n`;
    writeFileSync(join(docs, "09-scale-out.md"), page("English"));
    writeFileSync(join(docs, "zh", "09-scale-out.md"), page("中文"));
    writeFileSync(join(docs, "01-hello.md"), "# 01\n");

    expect(writeDrillsDocs(drills, docs)).toEqual([
      join(docs, "benchmarks", "drills.json"),
      join(docs, "09-scale-out.md"),
      join(docs, "zh", "09-scale-out.md"),
    ]);
    expect(JSON.parse(readFileSync(join(docs, "benchmarks", "drills.json"), "utf8"))).toEqual(drills);
    for (const file of ["09-scale-out.md", "zh/09-scale-out.md"]) {
      const text = readFileSync(join(docs, file), "utf8");
      expect(text).toContain(`<!-- bench:drills -->${drillsBlock(drills)}<!-- /bench:drills -->`);
      // the other table waits for its own command
      expect(text).toContain("<!-- bench:scale -->\nold\n<!-- /bench:scale -->");
    }

    writeScaleDocs(scale, docs);
    expect(readFileSync(join(docs, "zh", "09-scale-out.md"), "utf8")).toContain(
      `<!-- bench:scale -->${scaleBlock(scale)}<!-- /bench:scale -->`,
    );
    expect(readFileSync(join(docs, "01-hello.md"), "utf8")).toBe("# 01\n");
  });
});
