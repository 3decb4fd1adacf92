import { createProgress, formatSeconds } from "@zero-to-one/server-kit";
import { loadavg } from "node:os";
import { WorkerStartError, measureDuringExports } from "./exports.js";
import { type Run, type TourResults, machineFacts, measuredRun, round2, summarize } from "./results.js";
import { type Condition, type Scenario, type ScenarioName, scenarioNamed } from "./scenarios.js";
import { SQLITE, type StoreInfo } from "./store.js";
import {
  type Running,
  type Skipped,
  type Target,
  discoverStages,
  flaskTargets,
  launch,
  redisProblem,
  referenceTargets,
} from "./targets.js";
import { autocannonTool } from "./tools/autocannon.js";
import type { LoadTool } from "./tools/index.js";

export interface TourOptions {
  tool: LoadTool;
  toolWhy: string;
  /** Stage numbers to run; all built stages when undefined. */
  stages?: number[];
  scenarios?: ScenarioName[];
  durationSec: number;
  warmupSec: number;
  connections: number;
  rounds: number;
  rows: number;
  workers: number;
  /** Stages 03+ on this MongoDB-wire server instead of SQLite (--store mongo)… */
  mongoUrl?: string;
  /** …which is this one: the results name it. SQLite when not given. */
  store?: StoreInfo;
  /** Where the stages are (default: the repository's stages/). */
  stagesDir?: string;
  /** Measure the Flask references too, when Flask is installed. */
  flask: boolean;
  /** Prints a line to the person watching (the progress bar shares the stream). */
  log: (line: string) => void;
}

/**
 * Waits until the server answers quickly again. A load tool stops sending when its time is up, but
 * the server may still be working through the requests already in flight (100 slow list requests
 * can take seconds); the next measurement must not pay for them. Stages 03+ are asked /healthz,
 * which pings the store through the same connection pool: /index never touches the store, so it
 * answers at once while a database still works through the queries of the last scenario.
 */
async function settle(url: string, target: Target, timeoutMs = SETTLE_MS): Promise<boolean> {
  const path = target.kind === "stage" && target.stage >= 3 ? "/healthz" : "/index";
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const started = Date.now();
    try {
      await (await fetch(`${url}${path}`)).arrayBuffer();
      if (Date.now() - started < 50) return true;
    } catch {
      // busy or resetting connections; try again
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

const SETTLE_MS = 60_000;

/** Seconds a launch takes besides the load itself: seeding, start-up, reading the facts. */
function launchEstimate(target: Target, rows: number): number {
  if (target.stage >= 3) return 3.5 + rows / 20_000;
  if (target.stage === 2) return 1 + rows / 2_000;
  return target.command ? 2 : 0.5;
}

/** Measurements a scenario takes per server and round: one, or one per export condition. */
const stepsOf = (name: ScenarioName) => scenarioNamed(name)?.exports?.conditions.length ?? 1;

/** An optional program the tour could use and did not find, and what it leaves out. */
export interface Missing {
  program: string;
  effect: string;
  /** The skipped ids it explains (they get no line of their own). */
  skips: string[];
}

export async function planTour(options: TourOptions) {
  const wanted = (name: ScenarioName) => !options.scenarios || options.scenarios.includes(name);
  const { stages, skipped } = discoverStages(options.stages, options.stagesDir);
  const missing: Missing[] = [];
  if (stages.some((s) => s.stage >= 6)) {
    const problem = await redisProblem();
    if (problem) {
      const needRedis = stages.filter((t) => t.stage >= 6).map((t) => t.id);
      for (const id of needRedis) skipped.push({ id, reason: `it needs Redis: ${problem}` });
      const effect = `${needRedis.join(", ")} skipped (or set REDIS_URL)`;
      missing.push({ program: "redis-server", effect, skips: needRedis });
    }
  }
  const runnable = stages.filter((s) => !skipped.some((k) => k.id === s.id));
  let flask: ReturnType<typeof flaskTargets> = { targets: [] };
  if (options.flask) {
    flask = flaskTargets();
    if (flask.missing) skipped.push({ id: "flask", reason: flask.missing });
    // under autocannon the Flask rows are left out anyway (below): installing Flask would not add them
    if (flask.missing && options.tool.name !== "autocannon") {
      const program = flask.targets.length > 0 ? "gunicorn" : "Flask";
      const effect = `the ${program === "Flask" ? "Flask rows (the article's stack)" : "Flask + gunicorn row"} skipped`;
      missing.push({ program, effect, skips: ["flask"] });
    }
    if (flask.targets.length > 0 && options.tool.name === "autocannon") {
      // Werkzeug and gunicorn's sync workers close the connection after every answer; autocannon
      // then reports impossible latencies (p50 above the whole run's time per request).
      flask = { targets: [] };
      skipped.push({
        id: "flask",
        reason: "autocannon mis-measures servers that close every connection; use --tool wrk",
      });
    }
  }
  const targets = [...referenceTargets(), ...flask.targets, ...runnable]
    .map((t) => ({ ...t, scenarios: t.scenarios.filter(wanted) }))
    .filter((t) => t.scenarios.length > 0);
  const perRound = targets.reduce((n, t) => n + t.scenarios.reduce((m, name) => m + stepsOf(name), 0), 0);
  // an export condition also waits for the exports to get going and starts or stops a worker
  const scenarioSec = (name: ScenarioName) =>
    options.warmupSec + stepsOf(name) * (options.durationSec + 1) + (stepsOf(name) > 1 ? 3 : 0);
  const estimateSec =
    options.rounds *
    targets.reduce(
      (sec, t) =>
        sec + launchEstimate(t, options.rows) + t.scenarios.reduce((n, name) => n + scenarioSec(name), 0),
      0,
    );
  return { targets, skipped, missing, perRound, estimateSec };
}

/**
 * The tour: round after round, every target in turn is started fresh and seeded, warmed up and
 * measured on each scenario that applies, then stopped with SIGTERM. Interleaving the targets
 * round by round spreads the machine's noise over all of them; the summary takes medians.
 */
export async function runTour(options: TourOptions): Promise<TourResults> {
  const started = new Date();
  const loadAtStart = round2(loadavg()[0] ?? 0);
  const { targets, skipped, missing, perRound, estimateSec } = await planTour(options);
  const { log } = options;
  for (const m of missing) log(`${m.program} not found: ${m.effect}; see npm run doctor`);
  const explained = new Set(missing.flatMap((m) => m.skips));
  for (const s of skipped.filter((k) => !explained.has(k.id))) log(`skipped ${s.id}: ${s.reason}`);
  if (targets.every((t) => t.kind === "reference")) {
    log("no built stage to measure: run `npm run build` first");
  }
  const underExports = [...new Set(targets.flatMap((t) => t.scenarios))]
    .map((name) => scenarioNamed(name)!)
    .filter((sc) => sc.exports)
    .map(
      (sc) =>
        `${sc.name} at ${options.tool.steadyRate ? `${sc.exports!.ratePerSec} req/s over ` : ""}` +
        `${sc.exports!.connections} connections, once per condition: ${sc.exports!.conditions.join(", ")}`,
    );
  log(
    `tour: ${targets.length} servers, ${perRound} runs per round × ${options.rounds} round(s), ` +
      `${options.durationSec} s each at ${options.connections} connections` +
      `${underExports.length > 0 ? ` (${underExports.join("; ")})` : ""} with ${options.tool.version} ` +
      `(${options.toolWhy}); about ${formatSeconds(estimateSec)}`,
  );

  const runs: Run[] = [];
  const failures: Skipped[] = [];
  const startups = new Map<string, string>();
  const broken = new Set<string>();
  const total = perRound * options.rounds;
  const progress = createProgress("tour", total);
  // Ctrl-C: stop the server under load (and its Redis, its temporary folder) before leaving
  let current: Running | undefined;
  const interrupt = () => {
    log("interrupted: stopping the server under test");
    void (current?.stop() ?? Promise.resolve()).catch(() => {}).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  let done = 0;
  progress.update(0, "starting");
  const calm = async (running: Running, target: Target, after: string) => {
    if (!(await settle(running.url, target))) {
      log(
        `${target.id} was still busy ${SETTLE_MS / 1000} s after ${after}; the next measurement shares the time with it`,
      );
    }
  };
  // a result, not a failure: the server is slower than the window at this load
  const noAnswer = (what: string, round: number, connections: number) =>
    log(
      `${what} (round ${round}): no answer within ${options.durationSec} s at ${connections} connections, ` +
        `recorded as such (a longer --duration measures it)`,
    );

  /**
   * One condition of a scenario measured under background exports. Warm-up once, before the
   * first condition; a worker that does not start skips the queue condition (once per tour), and
   * an export load that completed nothing in the window is a failure, not a row.
   */
  const measureExportCondition = async (
    scenario: Scenario,
    condition: Condition,
    round: number,
    target: Target,
    running: Running,
  ) => {
    const setup = scenario.exports!;
    const id = `${target.id} ${scenario.name}`;
    const load = {
      baseUrl: running.url,
      scenario: scenario.name,
      facts: running.facts,
      requests: scenario.plan(running.facts),
      connections: setup.connections,
      ...(options.tool.steadyRate ? { ratePerSec: setup.ratePerSec } : {}),
    };
    try {
      if (condition === setup.conditions[0] && options.warmupSec > 0) {
        await autocannonTool.run({ ...load, durationSec: options.warmupSec });
        await calm(running, target, `the ${scenario.name} warm-up`);
      }
      const measured = await measureDuringExports({
        condition,
        baseUrl: running.url,
        dir: target.dir,
        env: running.env,
        clients: setup.clients,
        rows: running.facts.rows,
        measure: () => options.tool.run({ ...load, durationSec: options.durationSec }),
      });
      await calm(running, target, `the ${scenario.name} ${condition} load`);
      const { measurement, exportsCompleted, exportErrors, firstExportError } = measured;
      if (condition !== "idle" && exportsCompleted === 0) {
        throw new Error(
          `NO EXPORT COMPLETED in the ${options.durationSec} s window, so this row measured nothing ` +
            `(${exportErrors} export(s) failed${firstExportError ? `; first: ${firstExportError}` : ""})`,
        );
      }
      if (exportErrors > 0) {
        log(`${id} ${condition} (round ${round}): ${exportErrors} export(s) failed: ${firstExportError}`);
      }
      if (measurement.requests === 0) noAnswer(`${id} ${condition}`, round, setup.connections);
      runs.push({
        ...measuredRun(measurement, options.durationSec, {
          round,
          target: target.id,
          scenario: scenario.name,
        }),
        condition,
        exportsCompleted,
        exportErrors,
        connections: setup.connections,
        ...(load.ratePerSec ? { ratePerSec: load.ratePerSec } : {}),
      });
    } catch (error) {
      if (error instanceof WorkerStartError) {
        const skipId = `${id} ${condition}`;
        if (!skipped.some((s) => s.id === skipId)) {
          skipped.push({ id: skipId, reason: `the queue worker did not start: ${error.message}` });
          log(`skipped ${skipId}: the queue worker did not start: ${error.message}`);
        }
        return;
      }
      const reason = `${scenario.name} ${condition}, round ${round}: ${(error as Error).message}`;
      failures.push({ id: target.id, reason });
      log(`failed ${target.id} ${reason}`);
    }
  };

  for (let round = 1; round <= options.rounds; round++) {
    // every other round runs the servers in reverse, so none always goes first on a cold machine
    const order = round % 2 === 0 ? [...targets].reverse() : targets;
    for (const target of order) {
      const steps = target.scenarios.reduce((n, name) => n + stepsOf(name), 0);
      if (broken.has(target.id)) {
        done += steps;
        continue;
      }
      const where = `round ${round}/${options.rounds} · ${target.id}`;
      progress.update(done, `${where} · starting`);
      let running: Running;
      try {
        running = await launch(target, {
          rows: options.rows,
          workers: options.workers,
          ...(options.mongoUrl ? { mongoUrl: options.mongoUrl } : {}),
        });
      } catch (error) {
        broken.add(target.id);
        failures.push({ id: target.id, reason: `could not start: ${(error as Error).message}` });
        log(`failed ${target.id}: could not start: ${(error as Error).message}`);
        done += steps;
        continue;
      }
      current = running;
      try {
        for (const name of target.scenarios) {
          const unsupported = running.unsupported.get(name);
          if (unsupported) {
            const id = `${target.id} ${name}`;
            if (!skipped.some((s) => s.id === id)) {
              skipped.push({ id, reason: unsupported });
              log(`skipped ${id}: ${unsupported}`);
            }
            done += stepsOf(name);
            continue;
          }
          const scenario = scenarioNamed(name)!;
          if (scenario.exports) {
            for (const condition of scenario.exports.conditions) {
              progress.update(done, `${where} · ${name} · ${condition}`);
              await measureExportCondition(scenario, condition, round, target, running);
              done++;
            }
            continue;
          }
          progress.update(done, `${where} · ${name}`);
          const load = {
            baseUrl: running.url,
            scenario: name,
            facts: running.facts,
            requests: scenario.plan(running.facts),
            connections: options.connections,
          };
          try {
            if (options.warmupSec > 0) {
              await autocannonTool.run({ ...load, durationSec: options.warmupSec });
              await calm(running, target, `the ${name} warm-up`);
            }
            const measured = await options.tool.run({ ...load, durationSec: options.durationSec });
            if (measured.requests === 0) noAnswer(`${target.id} ${name}`, round, options.connections);
            await calm(running, target, `the ${name} load`);
            runs.push(
              measuredRun(measured, options.durationSec, { round, target: target.id, scenario: name }),
            );
          } catch (error) {
            failures.push({ id: target.id, reason: `${name}, round ${round}: ${(error as Error).message}` });
            log(`failed ${target.id} ${name} (round ${round}): ${(error as Error).message}`);
          }
          done++;
        }
      } finally {
        startups.set(target.id, running.startup());
        current = undefined;
        try {
          await running.stop();
        } catch (error) {
          failures.push({ id: target.id, reason: (error as Error).message });
          log(`failed ${target.id}: ${(error as Error).message}`);
        }
      }
    }
  }
  process.off("SIGINT", interrupt);
  progress.finish();

  return {
    schema: "zero-to-one/bench-results@1",
    date: started.toISOString(),
    wallSec: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machineFacts(loadAtStart),
    tool: { name: options.tool.name, version: options.tool.version, why: options.toolWhy },
    settings: {
      store: options.store ?? SQLITE,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      rounds: options.rounds,
      rows: options.rows,
      workers: options.workers,
    },
    targets: targets
      .filter((t) => runs.some((r) => r.target === t.id))
      .map((t) => ({
        id: t.id,
        label: t.label,
        kind: t.kind,
        stage: t.stage,
        scenarios: t.scenarios,
        startup: startups.get(t.id) ?? "",
      })),
    skipped,
    failures,
    runs,
    summary: summarize(runs, targets),
  };
}
