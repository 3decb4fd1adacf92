import { nginxProblem, opensslProblem } from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import type { TourResults } from "../src/results.js";
import { type Tour, runTour } from "./run-node.js";

const missing = (program: string, args: string[], apt: string) =>
  spawnSync(program, args).error ? `${program} is not installed (apt-get install ${apt})` : undefined;
const problem = missing("redis-server", ["--version"], "redis-server") ?? nginxProblem() ?? opensslProblem();
if (problem) console.log(`skipped: a tour of stage 08 needs ${problem}`);
const wrkMissing = missing("wrk", ["-v"], "wrk");
if (!problem && wrkMissing) console.log(`skipped: stage 08 with wrk: ${wrkMissing}`);

const tour = (args: string[]) => runTour(["--warmup", "0", ...args], { timeoutMs: 170_000 });

const row = (results: TourResults, target: string, scenario: string) =>
  results.summary.find((r) => r.target === target && r.scenario === scenario && !r.condition);

describe.skipIf(problem)(
  "a tour of stage 08, whose API answers only a signed-in client (1 s, one round)",
  () => {
    let run: Tour;
    beforeAll(async () => {
      run = await tour(["--stages", "07,08", "--scenarios", "list,list-tls,mixed"]);
    }, 180_000);

    it("measures stage 08 beside stage 07, with no failure and nothing skipped", () => {
      expect(run.status, run.stderr).toBe(0);
      const r = run.results!;
      expect(r.failures).toEqual([]);
      expect(r.skipped).toEqual([]);
      expect(r.runs.map((x) => `${x.target} ${x.scenario}`).sort()).toEqual([
        "07-queue list",
        "07-queue mixed",
        "08-secure list",
        "08-secure list-tls",
        "08-secure mixed",
        "ref-page list",
      ]);
    });

    it("sends every request as the seeded user, which no limit refuses: all 2xx, reads and writes", () => {
      // a request without the token would be a 401, one over the per-user limit a 429
      for (const measured of run.results!.runs) {
        expect(measured.requests, `${measured.target} ${measured.scenario}`).toBeGreaterThan(0);
        expect({ errors: measured.errors, non2xx: measured.non2xx }).toEqual({ errors: 0, non2xx: 0 });
      }
    });

    it("starts stage 08 with a Redis that asks for a password, never printed", () => {
      const startup = run.results!.targets.find((t) => t.id === "08-secure")!.startup;
      expect(startup).toMatch(/redis:\/\/…@127\.0\.0\.1:\d+/);
    });

    it("goes through nginx over HTTPS for list-tls, and compares it with the same stage without nginx", () => {
      const r = run.results!;
      const tls = r.runs.find((x) => x.scenario === "list-tls")!;
      expect(tls.via).toMatch(/^nginx\/\d/);
      expect(row(r, "08-secure", "list-tls")!.vsDirect).toMatchObject({ to: "08-secure list" });
      expect(row(r, "08-secure", "list")!.vsPrevious).toMatchObject({ to: "07-queue" });
      expect(run.stderr).not.toContain("nginx logged");
    });
  },
);

describe.skipIf(problem ?? wrkMissing)("stage 08 with wrk (1 s, one round)", () => {
  let run: Tour;
  beforeAll(async () => {
    run = await tour(["--tool", "wrk", "--stages", "08", "--scenarios", "list,list-tls"]);
  }, 180_000);

  it("sends the token with every request and reaches nginx over HTTPS: all 2xx", () => {
    expect(run.status, run.stderr).toBe(0);
    const r = run.results!;
    expect(r.failures).toEqual([]);
    const mine = r.runs.filter((x) => x.target === "08-secure");
    expect(mine.map((x) => x.scenario)).toEqual(["list", "list-tls"]);
    for (const measured of mine) {
      expect(measured.requests, measured.scenario).toBeGreaterThan(0);
      expect({ errors: measured.errors, non2xx: measured.non2xx }).toEqual({ errors: 0, non2xx: 0 });
    }
  });
});
