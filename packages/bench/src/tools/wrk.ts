import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SPARE_FILES } from "../open-files.js";
import type { Measurement } from "../scenarios.js";
import type { LoadRun, LoadTool } from "./tool.js";

const script = fileURLToPath(new URL("../../lua/plan.lua", import.meta.url));

/**
 * Runs a program with its soft open-file limit raised to at least $1, when it is lower: wrk opens one
 * socket per connection, and a shell's usual 1,024 would fail its sockets at 1,000 connections.
 */
const WITH_FILES =
  'need=$1; shift; soft=$(ulimit -Sn); if [ "$soft" != unlimited ] && [ "$soft" -lt "$need" ]; then ' +
  'ulimit -Sn "$need" 2>/dev/null || exit 111; fi; exec "$@"';
const CANNOT_RAISE = 111;

interface WrkSummary {
  requests: number;
  durationUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  socketErrors: number;
  timeouts: number;
  non2xx: number;
}

/** "wrk 4.1.0", or undefined when wrk is not installed. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  if (probe.error) return undefined;
  const version = `${probe.stdout}${probe.stderr}`.match(/wrk (?:debian\/)?(\d[\d.]*)/)?.[1];
  return version ? `wrk ${version}` : "wrk";
}

/** The article's tool, driven by `lua/plan.lua` so POSTs and mixes work as with the others. */
export function createWrkTool(version: string): LoadTool {
  return {
    name: "wrk",
    version,
    steadyRate: true,
    run: async (load: LoadRun): Promise<Measurement> => {
      const dir = mkdtempSync(join(tmpdir(), "zto-wrk-"));
      try {
        const plan = join(dir, "plan.tsv");
        const lines = [
          ...Object.entries(load.headers ?? {}).map(([name, value]) => ["HEADER", name, value].join("\t")),
          ...load.requests.map((r) => [r.method, r.path, r.contentType ?? "", r.body ?? ""].join("\t")),
        ];
        writeFileSync(plan, lines.join("\n") + "\n");
        const threads = Math.min(2, load.connections);
        const files = load.connections + SPARE_FILES;
        const { stdout } = await promisify(execFile)(
          "sh",
          [
            ...["-c", WITH_FILES, "sh", String(files), "wrk"],
            `-t${threads}`,
            `-c${load.connections}`,
            `-d${load.durationSec}s`,
            "--timeout",
            "10s",
            "-s",
            script,
            load.baseUrl,
            "--",
            plan,
            // wrk has no rate option: each connection waits this long between its requests
            ...(load.ratePerSec ? [String((1000 * load.connections) / load.ratePerSec)] : []),
          ],
          { timeout: (load.durationSec + 30) * 1000 },
        ).catch((error: { code?: number }) => {
          if (error.code !== CANNOT_RAISE) throw error;
          throw new Error(
            `wrk needs ${files} open files for ${load.connections} connections, above this machine's ulimit -Hn`,
          );
        });
        const line = stdout.split("\n").find((l) => l.startsWith('{"requests"'));
        if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
        const s = JSON.parse(line) as WrkSummary;
        const durationSec = s.durationUs / 1e6;
        return {
          requests: s.requests,
          durationSec,
          requestsPerSec: s.requests / durationSec,
          p50Ms: s.p50Us / 1000,
          p99Ms: s.p99Us / 1000,
          p90Ms: s.p90Us / 1000,
          maxMs: s.maxUs / 1000,
          errors: s.socketErrors + s.timeouts,
          non2xx: s.non2xx,
        };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
