import { createProgress } from "@zero-to-one/server-kit";
import { type Outcome, startLoad, startServer, waitFor } from "@zero-to-one/test-kit";
import { type HalvesOptions, type HalvesRecord, measureInHalves, startRecord } from "../halves.js";
import { addHalves, median } from "../results.js";
import type { Measurement } from "../scenarios.js";
import { settle } from "../settle.js";
import { type Skipped, packageDir } from "../targets.js";
import { autocannonTool } from "../tools/autocannon.js";

/** What runs beside the measured `GET /index`: nothing, or clients calling one of the slow routes. */
export const CONDITIONS = ["none", "sync", "async"] as const;
export type Condition = (typeof CONDITIONS)[number];
/** The reference server runs as one process, then as two workers behind a node:cluster primary. */
export const PROCESSES = [1, 2] as const;

export interface BlockingOptions extends HalvesOptions {
  /** The rate of the measured `/index` load over all its connections (for tools with a steady rate). */
  ratePerSec: number;
  /** How long each slow call waits, and how many clients call the slow route, one call after another. */
  waitMs: number;
  slowClients: number;
}

/** One window's slow calls: how many finished, how long each took, how many failed. */
export interface SlowCalls {
  calls: number;
  medianMs: number | null;
  errors: number;
}

export interface BlockingRun extends Measurement {
  round: number;
  processes: number;
  condition: Condition;
  halvesPerSec?: [number, number];
  slow: SlowCalls;
}

export interface BlockingMeasurement extends HalvesRecord {
  settings: HalvesRecord["settings"] & {
    /** The rate of the `/index` load, or null when the tool sends each request as the last is answered. */
    ratePerSec: number | null;
    waitMs: number;
    slowClients: number;
  };
  starts: { processes: number; startup: string }[];
  failures: Skipped[];
  runs: BlockingRun[];
}

export const serverOf = (processes: number) => `${processes} process${processes === 1 ? "" : "es"}`;
export const idOf = ({ processes, condition }: { processes: number; condition: Condition }) =>
  `${serverOf(processes)} · ${condition}`;

function slowCalls(outcomes: Outcome[]): SlowCalls {
  const answered = outcomes.filter((o) => o.status === 200);
  return {
    calls: answered.length,
    medianMs: answered.length === 0 ? null : median(answered.map((o) => o.endedAt - o.startedAt)),
    errors: outcomes.length - answered.length,
  };
}

/**
 * Starts the reference server of src/reference/waits.ts twice (one process; two workers), then
 * measures `GET /index` at a light rate round after round in ABBA halves, in three conditions:
 * alone, while `slowClients` clients call `/wait-sync?ms=N` one call after another (the event loop
 * held N ms each time), and while they call `/wait-async?ms=N` (N ms awaited).
 */
export async function measureBlocking(options: BlockingOptions): Promise<BlockingMeasurement> {
  const { tool, log } = options;
  const { halfSec, done } = startRecord(options);
  const ratePerSec = tool.steadyRate ? options.ratePerSec : null;
  if (!ratePerSec) {
    log(
      `${tool.version} cannot hold a steady rate: each connection sends its next request as the last is answered`,
    );
  }
  const servers = new Map<number, Awaited<ReturnType<typeof startServer>>>();
  const starts: BlockingMeasurement["starts"] = [];
  const failures: Skipped[] = [];
  const load = (url: string, durationSec: number, paced = true) => ({
    baseUrl: url,
    scenario: "hello",
    facts: { rows: 0, deepStart: 0, deepCursor: null, ids: [] },
    requests: [{ method: "GET" as const, path: "/index" }],
    connections: options.connections,
    durationSec,
    ...(paced && ratePerSec ? { ratePerSec } : {}),
  });
  const slowRoute = (url: string, condition: Condition) => `${url}/wait-${condition}?ms=${options.waitMs}`;

  try {
    for (const processes of PROCESSES) {
      try {
        const server = await startServer({
          cwd: packageDir,
          entry: "dist/reference/waits.js",
          env: { WORKERS: String(processes) },
          timeoutMs: 30_000,
        });
        servers.set(processes, server);
        // a cluster answers /index as soon as its first worker listens; the line comes once all do
        const line = await waitFor(
          () =>
            server
              .output()
              .split("\n")
              .find((l) => l.includes(" listening on ")),
          {
            what: "the start-up line",
            output: server.output,
          },
        );
        starts.push({ processes, startup: line.trim() });
        for (const condition of ["sync", "async"] as const) {
          const res = await fetch(slowRoute(server.url, condition));
          if (res.status !== 200) throw new Error(`GET /wait-${condition} answered ${res.status}`);
          await res.arrayBuffer();
        }
        if (options.warmupSec > 0) await autocannonTool.run(load(server.url, options.warmupSec, false));
        await settle(server.url, "/index");
      } catch (error) {
        const reason = `could not start: ${(error as Error).message.split("\n")[0]}`;
        failures.push({ id: serverOf(processes), reason });
        log(`failed ${serverOf(processes)}: ${reason}`);
      }
    }

    const items = [...servers.keys()].flatMap((processes) =>
      CONDITIONS.map((condition) => ({ processes, condition })),
    );
    const progress = createProgress("blocking", items.length * options.rounds * 2);
    const { pairs, failures: broken } = await measureInHalves({
      items,
      rounds: options.rounds,
      idOf,
      progress: (done, what) => progress.update(done, what),
      onFailure: (item, reason) => log(`failed ${idOf(item)}: ${reason}`),
      measure: async ({ processes, condition }) => {
        const url = servers.get(processes)!.url;
        const slow =
          condition === "none"
            ? undefined
            : startLoad({
                concurrency: options.slowClients,
                maxMs: (halfSec + 60) * 1000,
                send: async () => {
                  const res = await fetch(slowRoute(url, condition));
                  await res.arrayBuffer();
                  return { status: res.status };
                },
              });
        const measured = await tool.run(load(url, halfSec));
        const outcomes = slow ? await slow.stop() : [];
        if (!(await settle(url, "/index"))) throw new Error("still busy a minute after the load");
        if (measured.requests === 0) throw new Error(`no answer to GET /index within ${halfSec} s`);
        return { measured, slow: slowCalls(outcomes) };
      },
    });
    progress.finish();
    failures.push(...broken);

    const runs = pairs.map(({ round, item, halves: [first, second] }) => {
      const durations = [first.slow, second.slow];
      const calls = durations.reduce((sum, s) => sum + s.calls, 0);
      const weighted = durations.filter((s) => s.medianMs !== null);
      return {
        round,
        ...item,
        ...addHalves(first.measured, second.measured),
        slow: {
          calls,
          // the halves' medians weighted by their calls, as addHalves does for percentiles
          medianMs:
            weighted.length === 0
              ? null
              : weighted.reduce((sum, s) => sum + s.medianMs! * s.calls, 0) / Math.max(1, calls),
          errors: durations.reduce((sum, s) => sum + s.errors, 0),
        },
      };
    });

    const { settings, ...rest } = done();
    const { waitMs, slowClients } = options;
    return { ...rest, settings: { ...settings, ratePerSec, waitMs, slowClients }, starts, failures, runs };
  } finally {
    for (const [processes, server] of servers) {
      const code = await server.stop();
      if (code !== 0) failures.push({ id: serverOf(processes), reason: `exited with ${code} on SIGTERM` });
    }
  }
}
