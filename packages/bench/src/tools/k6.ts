import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { Measurement } from "../scenarios.js";
import type { LoadRun, LoadTool } from "./tool.js";

const script = fileURLToPath(new URL("../../k6/tour.ts", import.meta.url));

/** "k6 v1.2.3", or undefined when k6 is not on PATH. */
export function k6Version(): string | undefined {
  const probe = spawnSync("k6", ["version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  return probe.stdout.match(/k6 v[\w.-]+/)?.[0] ?? "k6";
}

/** The product's load scripts: `k6 run k6/tour.ts`, whose handleSummary writes the measurement. */
export function createK6Tool(version: string): LoadTool {
  return {
    name: "k6",
    version,
    steadyRate: true,
    run: async (load: LoadRun): Promise<Measurement> => {
      const dir = mkdtempSync(join(tmpdir(), "zto-k6-"));
      const summary = join(dir, "summary.json");
      const env = {
        BASE_URL: load.baseUrl,
        SCENARIO: load.scenario,
        VUS: String(load.connections),
        DURATION: `${load.durationSec}s`,
        ROWS: String(load.facts.rows),
        FACTS: JSON.stringify(load.facts),
        SUMMARY_PATH: summary,
        ...(load.ratePerSec ? { RATE: String(load.ratePerSec) } : {}),
        ...(load.headers ? { HEADERS: JSON.stringify(load.headers) } : {}),
      };
      const args = ["run", "--quiet", "--no-usage-report"];
      for (const [key, value] of Object.entries(env)) args.push("-e", `${key}=${value}`);
      args.push(script);
      try {
        await promisify(execFile)("k6", args, { timeout: (load.durationSec + 60) * 1000 }).catch(
          (error: { code?: number; stderr?: string }) => {
            // 99: a threshold failed; the numbers are still the numbers, so the tour reports them.
            if (error.code !== 99) throw new Error(`k6 failed: ${error.stderr ?? String(error)}`);
          },
        );
        return JSON.parse(readFileSync(summary, "utf8")) as Measurement;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
