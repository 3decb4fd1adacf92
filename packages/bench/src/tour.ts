import { createProgress, formatSeconds } from "@zero-to-one/server-kit";
import { nginxProblem, opensslProblem } from "@zero-to-one/test-kit";
import { loadavg } from "node:os";
import { WorkerStartError, measureDuringExports } from "./exports.js";
import { openFilesProblem } from "./open-files.js";
import { type Step, halfSecOf, roundPlan } from "./order.js";
import {
  type Run,
  type ToolCeiling,
  type TourResults,
  addHalves,
  machineFacts,
  measuredRun,
  round2,
  summarize,
  toolCeilingFrom,
} from "./results.js";
import {
  type Condition,
  type Measurement,
  type Scenario,
  type ScenarioName,
  scenarioNamed,
} from "./scenarios.js";
import { SETTLE_MS, settle } from "./settle.js";
import { type FrontNginx, startStageNginx } from "./through-nginx.js";
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
  stopEvery,
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
 * The path that says a server is calm again. Stages 03+ are asked /healthz, which pings the store
 * through the same connection pool: /index never touches the store, so it answers at once while a
 * database still works through the queries of the last scenario.
 */
const calmPath = (target: Target) => (target.kind === "stage" && target.stage >= 3 ? "/healthz" : "/index");

/** Seconds a launch takes besides the load itself: seeding, start-up, reading the facts. */
function launchEstimate(target: Target, rows: number): number {
  if (target.stage >= 3) return 3.5 + rows / 20_000;
  if (target.seedFrom) return 5.5 + rows / 20_000;
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
    if (flask.missing) skipped.push({ id: flask.missing.id, reason: flask.missing.reason });
    // under autocannon the Flask rows are left out anyway (below): installing Flask would not add them
    if (flask.missing && options.tool.name !== "autocannon") {
      const { program, leavesOut } = flask.missing;
      missing.push({ program, effect: `${leavesOut} skipped`, skips: [flask.missing.id] });
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
  const candidates = [...referenceTargets(), ...flask.targets, ...runnable]
    .map((t) => ({ ...t, scenarios: t.scenarios.filter(wanted) }))
    .filter((t) => t.scenarios.length > 0);
  // a scenario this machine cannot run is left out everywhere, with one line
  const unrunnable = new Set<ScenarioName>();
  for (const name of new Set(candidates.flatMap((t) => t.scenarios))) {
    const problem = scenarioProblem(scenarioNamed(name)!, options.tool);
    if (problem) {
      unrunnable.add(name);
      skipped.push({ id: name, reason: problem });
    }
  }
  const targets = candidates
    .map((t) => ({ ...t, scenarios: t.scenarios.filter((name) => !unrunnable.has(name)) }))
    .filter((t) => t.scenarios.length > 0);
  const perRound = targets.reduce((n, t) => n + t.scenarios.reduce((m, name) => m + stepsOf(name), 0), 0);
  // two halves, each with its own settling; an export condition also waits for the exports to get
  // going and starts or stops a worker
  const halfSec = halfSecOf(options.durationSec);
  const scenarioSec = (name: ScenarioName) =>
    stepsOf(name) > 1
      ? options.warmupSec + stepsOf(name) * (options.durationSec + 1) + 3
      : options.warmupSec + 2 * (halfSec + 0.5) + (scenarioNamed(name)?.throughNginx ? 1 : 0);
  const ceilingSec = measuresCeiling(targets) ? 0 : 1 + options.warmupSec + options.durationSec;
  const estimateSec =
    ceilingSec +
    options.rounds *
      targets.reduce(
        (sec, t) =>
          sec + launchEstimate(t, options.rows) + t.scenarios.reduce((n, name) => n + scenarioSec(name), 0),
        0,
      );
  return { targets, skipped, missing, perRound, estimateSec, halfSec };
}

/**
 * Why a scenario cannot run here: it goes through nginx and nginx (or, over HTTPS, openssl for the
 * certificate) is not installed, or its own connections need more open files than the load tool may
 * have (its failures would count as the server's).
 */
function scenarioProblem(scenario: Scenario, tool: LoadTool): string | undefined {
  return (
    (scenario.throughNginx ? nginxProblem() : undefined) ??
    (scenario.tls ? opensslProblem() : undefined) ??
    (scenario.connections ? openFilesProblem(tool.name, scenario.connections) : undefined)
  );
}

/** Whether the tour's own rows measure the tool's ceiling: ref-hello on `hello`. */
const measuresCeiling = (targets: Target[]) =>
  targets.some((t) => t.id === "ref-hello" && t.scenarios.includes("hello"));

/**
 * The tool's ceiling for a tour without `hello`: ref-hello, warmed up and measured once for the
 * whole window. Undefined (and a line saying why) when it cannot be measured.
 */
async function measureCeiling(options: TourOptions, log: (line: string) => void) {
  const target = { ...referenceTargets()[0]!, scenarios: ["hello" as const] };
  let running: Running | undefined;
  try {
    running = await launch(target, { rows: options.rows, workers: options.workers });
    const load = {
      baseUrl: running.url,
      scenario: "hello",
      facts: running.facts,
      requests: scenarioNamed("hello")!.plan(running.facts),
      connections: options.connections,
    };
    if (options.warmupSec > 0) await autocannonTool.run({ ...load, durationSec: options.warmupSec });
    const measured = await options.tool.run({ ...load, durationSec: options.durationSec });
    const ceiling: ToolCeiling = {
      target: "ref-hello",
      scenario: "hello",
      tool: options.tool.version,
      connections: options.connections,
      requestsPerSec: measured.requestsPerSec,
      rounds: 1,
      from: "measured once",
    };
    log(
      `the tool's ceiling: ${target.label} with ${options.tool.version} at ${options.connections} connections, ` +
        `${Math.round(measured.requestsPerSec).toLocaleString("en-US")} req/s`,
    );
    return ceiling;
  } catch (error) {
    log(`the tool's ceiling was not measured: ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  } finally {
    await running?.stop().catch(() => {});
  }
}

/**
 * The tour: round after round, every target is started fresh and seeded, all of them at once; then
 * scenario after scenario, the servers that run it take turns in ABBA halves (src/order.ts), each
 * warmed up before its first half; then every server is stopped with SIGTERM. Alternating within a
 * round keeps the machine's noise out of the ratios; every other round reverses the servers, and
 * the summary takes medians over the rounds.
 */
export async function runTour(options: TourOptions): Promise<TourResults> {
  const started = new Date();
  const loadAtStart = round2(loadavg()[0] ?? 0);
  const { targets, skipped, missing, perRound, estimateSec, halfSec } = await planTour(options);
  const { log } = options;
  for (const m of missing) log(`${m.program} not found: ${m.effect}; see npm run doctor`);
  const explained = new Set(missing.flatMap((m) => m.skips));
  for (const s of skipped.filter((k) => !explained.has(k.id))) log(`skipped ${s.id}: ${s.reason}`);
  // a built stage whose scenarios were all left out (by the lines above) is not a stage to build
  if (targets.every((t) => t.kind === "reference") && !skipped.some((s) => scenarioNamed(s.id))) {
    log("no built stage to measure: run `npm run build` first");
  }
  const scenariosRun = [...new Set(targets.flatMap((t) => t.scenarios))].map((name) => scenarioNamed(name)!);
  const underExports = scenariosRun
    .filter((sc) => sc.exports)
    .map(
      (sc) =>
        `${sc.name} at ${options.tool.steadyRate ? `${sc.exports!.ratePerSec} req/s over ` : ""}` +
        `${sc.exports!.connections} connections, once per condition: ${sc.exports!.conditions.join(", ")}`,
    );
  const ownLoad = scenariosRun
    .filter((sc) => sc.connections)
    .map((sc) => `${sc.name} at ${sc.connections} connections${sc.throughNginx ? " through nginx" : ""}`);
  const notes = [...ownLoad, ...underExports];
  log(
    `tour: ${targets.length} servers, ${perRound} runs per round × ${options.rounds} round(s), ` +
      `${options.durationSec} s each (two halves of ${halfSec} s, servers alternating) at ${options.connections} connections` +
      `${notes.length > 0 ? ` (${notes.join("; ")})` : ""} with ${options.tool.version} ` +
      `(${options.toolWhy}); about ${formatSeconds(estimateSec)}`,
  );

  const runs: Run[] = [];
  const failures: Skipped[] = [];
  const startups = new Map<string, string>();
  const broken = new Set<string>();
  const total = perRound * options.rounds;
  const progress = createProgress("tour", total);
  // Ctrl-C: stop the servers of the round (and their Redis, their temporary folders) before leaving
  const live = new Map<string, Running>();
  // nginx in front of a stage: started for the stage's first half through nginx, stopped after its last
  const proxies = new Map<string, Promise<FrontNginx>>();
  const proxyFor = (target: Target, server: Running, scenario: Scenario) => {
    let proxy = proxies.get(target.id);
    if (!proxy) {
      proxy = startStageNginx(target.dir, server.url, { tls: scenario.tls });
      proxies.set(target.id, proxy);
    }
    return proxy;
  };
  /** Stops the stage's nginx, if any, and says what nginx logged: the reason for most errors through it. */
  const stopProxy = async (id: string, what = id) => {
    const proxy = await proxies.get(id)?.catch(() => undefined);
    proxies.delete(id);
    if (!proxy) return;
    await proxy.stop();
    const complaints = proxy.complaints();
    if (complaints) log(`${what}: nginx logged ${complaints}`);
  };
  const interrupt = () => {
    log("interrupted: stopping the servers under test");
    const stopping = [
      ...[...proxies.keys()].map((id) => stopProxy(id)),
      ...[...live.values()].map((s) => s.stop()),
    ];
    void Promise.allSettled(stopping).finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupt);
  let done = 0;
  progress.update(0, "starting");
  const calm = async (server: Running, target: Target, after: string) => {
    if (!(await settle(server.url, calmPath(target)))) {
      log(
        `${target.id} was still busy ${SETTLE_MS / 1000} s after ${after}; the next measurement shares the time with it`,
      );
    }
  };
  // a result, not a failure: the server is slower than the window at this load
  const noAnswer = (what: string, round: number, connections: number, windowSec: number) =>
    log(
      `${what} (round ${round}): no answer within ${windowSec} s at ${connections} connections, ` +
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
      headers: running.headers,
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
        headers: running.headers,
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
      if (measurement.requests === 0) {
        noAnswer(`${id} ${condition}`, round, setup.connections, options.durationSec);
      }
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

  // a tour that leaves `hello` out measures the tool's ceiling once, before the rounds
  let ceiling: ToolCeiling | undefined;
  if (!measuresCeiling(targets)) ceiling = await measureCeiling(options, log);

  /** The first half of each pair, until its second half is measured; null when it failed. */
  const firstHalves = new Map<string, Measurement | null>();
  const measureHalf = async (step: Step<Target>, round: number, running: Running) => {
    const { target, scenario: name } = step;
    const key = `${target.id} ${name}`;
    if (step.half === 2 && firstHalves.get(key) === null) return; // its first half failed
    const scenario = scenarioNamed(name)!;
    const connections = scenario.connections ?? options.connections;
    try {
      const proxy = scenario.throughNginx ? await proxyFor(target, running, scenario) : undefined;
      const load = {
        baseUrl: proxy?.url ?? running.url,
        scenario: name,
        facts: running.facts,
        requests: scenario.plan(running.facts),
        connections,
        headers: running.headers,
      };
      if (step.half === 1 && options.warmupSec > 0) {
        await autocannonTool.run({ ...load, durationSec: options.warmupSec });
        await calm(running, target, `the ${name} warm-up`);
      }
      const measured = await options.tool.run({ ...load, durationSec: halfSec });
      await calm(running, target, `the ${name} load`);
      if (step.half === 1) {
        firstHalves.set(key, measured);
        return;
      }
      const both = addHalves(firstHalves.get(key)!, measured);
      if (both.requests === 0) noAnswer(key, round, connections, halfSec);
      runs.push({
        ...measuredRun(both, halfSec, { round, target: target.id, scenario: name }),
        ...(scenario.connections ? { connections } : {}),
        ...(proxy ? { via: proxy.via } : {}),
      });
      if (proxy) await stopProxy(target.id, `${key} (round ${round})`);
    } catch (error) {
      firstHalves.set(key, null);
      failures.push({ id: target.id, reason: `${name}, round ${round}: ${(error as Error).message}` });
      log(`failed ${target.id} ${name} (round ${round}): ${(error as Error).message}`);
    }
  };

  for (let round = 1; round <= options.rounds; round++) {
    // every server of the round runs at once, so the servers of a scenario can take turns
    for (const target of round % 2 === 0 ? [...targets].reverse() : targets) {
      if (broken.has(target.id)) continue;
      progress.update(done, `round ${round}/${options.rounds} · ${target.id} · starting`);
      try {
        live.set(
          target.id,
          await launch(target, {
            rows: options.rows,
            workers: options.workers,
            ...(options.mongoUrl ? { mongoUrl: options.mongoUrl } : {}),
          }),
        );
      } catch (error) {
        broken.add(target.id);
        failures.push({ id: target.id, reason: `could not start: ${(error as Error).message}` });
        log(`failed ${target.id}: could not start: ${(error as Error).message}`);
      }
    }
    firstHalves.clear();
    try {
      for (const step of roundPlan(targets, round)) {
        const { target, scenario: name } = step;
        const server = live.get(target.id);
        // a pair counts as done with its second half; a condition on its own
        const finishes = step.half !== 1;
        const unsupported = server?.unsupported.get(name);
        if (!server || unsupported) {
          const id = `${target.id} ${name}`;
          if (unsupported && !skipped.some((s) => s.id === id)) {
            skipped.push({ id, reason: unsupported });
            log(`skipped ${id}: ${unsupported}`);
          }
          if (finishes) done++;
          continue;
        }
        const where = `round ${round}/${options.rounds} · ${target.id} · ${name}`;
        if (step.condition) {
          progress.update(done, `${where} · ${step.condition}`);
          await measureExportCondition(scenarioNamed(name)!, step.condition, round, target, server);
        } else {
          progress.update(done, `${where} · half ${step.half}`);
          await measureHalf(step, round, server);
        }
        if (finishes) done++;
      }
    } finally {
      for (const id of [...proxies.keys()]) await stopProxy(id, `${id} (round ${round})`);
      for (const [id, server] of live) startups.set(id, server.startup());
      await stopEvery(live, failures, log);
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
      order: "abba-halves",
      halfSec,
    },
    toolCeiling: ceiling ?? toolCeilingFrom({ runs, tool: options.tool, settings: options }),
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
    summary: summarize(runs, targets, ceiling),
  };
}
