import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { measureScale, ourNamespaces, renderScale, SCALE_RESULTS, upProblem } from "../src/index.js";

const CPU = 0.3;
const problem = await upProblem({ apiHosts: 3, cpu: CPU });
if (problem) console.log(`skipped: npm run hosts -- scale: ${problem}`);

describe.skipIf(problem)("npm run hosts -- scale", () => {
  // the shape only: the numbers of a run this short on a shared machine say nothing
  it("measures req/s through the lb with 1, 2 and 3 API hosts, each under the same cap", async () => {
    const results = await measureScale({ cpu: CPU, durationSec: 1, rounds: 1, connections: 4 });
    console.log(renderScale(results));

    expect(results.rows.map((r) => `${r.scenario} ${r.apiHosts}`)).toEqual([
      "list 1",
      "list 2",
      "list 3",
      "mixed 1",
      "mixed 2",
      "mixed 3",
    ]);
    for (const row of results.rows)
      expect(row.requestsPerSec, `${row.scenario} ${row.apiHosts}`).toBeGreaterThan(0);
    expect(results.runs).toHaveLength(6);
    expect(results.caps).toEqual({ api1: CPU, api2: CPU, api3: CPU });

    // where the CPU went while the three hosts took the load: the lb, the database, the API hosts
    // for each scenario, since a read load and a write mix lean on different parts
    expect(results.cpuWithAllHosts.map((c) => c.scenario)).toEqual(["list", "mixed"]);
    for (const { scenario, shares, bottleneck } of results.cpuWithAllHosts) {
      const parts = shares.map((s) => s.part);
      for (const part of ["lb nginx", "db1 postgres", "db1 ferretdb", "api1 node", "load generator"])
        expect(parts, scenario).toContain(part);
      for (const share of shares.filter((s) => s.part.startsWith("api"))) expect(share.cap).toBe(CPU);
      expect(bottleneck).toMatch(/next bottleneck/);
    }
    expect(results.delay).toMatch(/^no added latency between hosts/);

    expect(JSON.parse(readFileSync(SCALE_RESULTS, "utf8"))).toEqual(results);
    // it made its own topology, and took it down
    expect(await ourNamespaces()).toEqual([]);
  }, 180_000);
});
