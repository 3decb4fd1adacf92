import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestRedis } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aroundExpiries, copiesOf } from "../src/stampede/measure.js";
import { STAMPEDE_HEADERS, type StampedeResults, type StampedeRow } from "../src/stampede/report.js";
import { discoverStages } from "../src/targets.js";
import { type Ran, runNode } from "./run-node.js";

const tmp = mkdtempSync(join(tmpdir(), "zto-bench-stampede-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const probe = await startTestRedis();
await probe.redis?.stop();
const built = discoverStages([6]).stages.length === 1;
const skipped = probe.skipped ?? (built ? undefined : "stage 06 is not built (run npm run build)");
if (skipped) console.log(`skipped: npm run bench:stampede needs stage 06 and Redis: ${skipped}`);

describe("when each copy of the page expired, and who was waiting then", () => {
  it("takes fresh_until values a moment apart (several naive rebuilds) as one copy, expiring at the last", () => {
    expect(copiesOf([1_000, 1_003, 1_001, 1_250, 1_252, 1_500], 250)).toEqual([1_003, 1_252, 1_500]);
    expect(copiesOf([], 250)).toEqual([]);
  });

  it("picks the requests in flight at some moment within the window after an expiry", () => {
    const expiries = [1_000, 2_000];
    // [began, ended]: before, across, inside, just after the window, long after
    const requests = [
      [900, 990],
      [990, 1_010],
      [1_005, 1_015],
      [1_030, 1_040],
      [1_500, 1_600],
      [1_990, 2_100],
    ];
    const half = { ends: requests.map(([, end]) => end!), latencies: requests.map(([b, e]) => e! - b!) };
    expect(aroundExpiries(half, expiries, 25)).toEqual([20, 10, 110]);
  });
});

// A real run, as short as it gets: one round of 1 s halves, a page that expires every 100 ms.
describe.skipIf(skipped)("npm run bench:stampede (1 round of 1 s halves, autocannon)", () => {
  let run: Ran;
  const resultsDir = join(tmp, "results");
  const docsDir = join(tmp, "docs");
  let results: StampedeResults;
  const row = (part: StampedeRow["part"], condition: StampedeRow["condition"]) =>
    results.rows.find((r) => r.part === part && r.condition === condition)!;

  beforeAll(async () => {
    mkdirSync(docsDir);
    writeFileSync(
      join(docsDir, "06-cache.md"),
      [
        "# 06",
        "",
        "<!-- bench:stampede-table -->",
        "the old table",
        "<!-- /bench:stampede-table -->",
        "",
      ].join("\n"),
    );
    const args = ["dist/stampede.js", "--duration", "1", "--rounds", "1", "--warmup", "0", "--rows", "200"];
    args.push("--connections", "50", "--lifetime", "100");
    args.push("--results-dir", resultsDir, "--docs", "--docs-dir", docsDir);
    run = await runNode(args);
    results = JSON.parse(readFileSync(join(resultsDir, "stampede-latest.json"), "utf8")) as StampedeResults;
  }, 150_000);

  it("measures every request under both conditions and exits with 0", () => {
    expect(run.status, run.stderr).toBe(0);
    expect(results.schema).toBe("zero-to-one/stampede@1");
    expect(results.failures).toEqual([]);
    expect(results.rows.map((r) => `${r.part} ${r.condition}`)).toEqual([
      "expiring-page on",
      "expiring-page off",
      "unknown-id on",
      "unknown-id off",
      "new-ids on",
      "new-ids off",
    ]);
    for (const r of results.rows) {
      expect(r.skipped, `${r.part} ${r.condition}`).toBeUndefined();
      expect(r.requestsPerSec, `${r.part} ${r.condition}`).toBeGreaterThan(0);
      expect(r.errors, `${r.part} ${r.condition}`).toBe(0);
    }
    expect(row("expiring-page", "on").expiries).toBeGreaterThan(0);
    expect(row("expiring-page", "off").expiries).toBeGreaterThan(0);
  });

  it("started the naive cache for CACHE_PROTECTION=off, and said so in its start-up line", () => {
    // ABBA: on, off, off, on
    expect(results.starts.map((s) => s.condition)).toEqual(["on", "off", "off", "on"]);
    for (const start of results.starts) {
      expect(start.startup).toMatch(/stage 06-cache listening on/);
      if (start.condition === "off") expect(start.startup).toMatch(/protection OFF/);
      else expect(start.startup).not.toMatch(/protection OFF/);
    }
  });

  it("shows the stampede: more store reads per expiry without protection than with it", () => {
    const on = row("expiring-page", "on").storeReadsPerExpiry!;
    const off = row("expiring-page", "off").storeReadsPerExpiry!;
    expect(on).toBeGreaterThan(0);
    expect(off).toBeGreaterThan(on);
  });

  it("shows penetration: one unknown id reaches the store on every request only without protection", () => {
    expect(row("unknown-id", "off").storeReadsPerRequest).toBeGreaterThan(0.9);
    expect(row("unknown-id", "on").storeReadsPerRequest).toBeLessThan(
      row("unknown-id", "off").storeReadsPerRequest!,
    );
    // a new id every time: nothing to remember, the store is asked about each one either way
    expect(row("new-ids", "on").storeReadsPerRequest).toBeGreaterThan(0.9);
  });

  it("prints the table: a header, then one line per request and condition", () => {
    const lines = run.stdout.split("\n");
    const header = lines.findIndex((line) => line.startsWith("request"));
    expect(header).toBeGreaterThanOrEqual(0);
    for (const name of STAMPEDE_HEADERS) expect(lines[header]).toContain(name);
    const body = lines.slice(header + 2).filter((line) => /^GET /.test(line));
    expect(body).toHaveLength(6);
    expect(body[1]).toMatch(/^GET \/todo, the page expiring every 100 ms\s+off\s+[\d,]+/);
    expect(run.stdout).toMatch(/results: .*stampede-latest\.json/);
  });

  it("--docs writes docs/benchmarks/stampede.json and the table between the markers", () => {
    const written = JSON.parse(
      readFileSync(join(docsDir, "benchmarks", "stampede.json"), "utf8"),
    ) as StampedeResults;
    expect(written.rows).toEqual(results.rows);
    const page = readFileSync(join(docsDir, "06-cache.md"), "utf8");
    expect(page).not.toContain("the old table");
    const table = page.split("\n").filter((line) => line.startsWith("| "));
    expect(table[0]).toBe(`| ${STAMPEDE_HEADERS.join(" | ")} |`);
    expect(table).toHaveLength(2 + 6);
    expect(page).toMatch(/<sub>.*docs\/benchmarks\/stampede\.json.*<\/sub>\n<!-- \/bench:stampede-table -->/);
  });
});
