import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { cpuCapProblem, makeCpuCap, ourCgroups } from "./cgroup.js";
import { collectionsOn, createSchema, ferretUrl } from "./ferretdb.js";
import { serviceOf, startHost, startService, type StartOptions } from "./hosts.js";
import { healthzThroughEvery } from "./lb-check.js";
import { writeLbConfig } from "./lb.js";
import { addDelay, netemProblem } from "./netem.js";
import { makeBridge, makeHost, ourLinks, ourNamespaces, subnetInUse } from "./network.js";
import { cloneStandby, initPrimary, provisionPrimary, standbyCaughtUp } from "./postgres.js";
import { replicaHealthy, sentinelView, writeRedisConfigs } from "./redis.js";
import { programsProblem, systemProblem } from "./requirements.js";
import { resolveStage, stageDir, stageProblem } from "./stage.js";
import { makeSecrets, paths, STATE_DIR, writeState, type Plan, type Secrets, type State } from "./state.js";
import { makeCertificate } from "./tls.js";
import { hostsFor, hostsWithRole, MAX_API_HOSTS, PORTS, type Host } from "./topology.js";
import { waitUntil } from "./wait.js";

export interface UpOptions extends StartOptions {
  /** 08, 09, 08-secure…; default: 09-scale-out when it exists, else 08-secure. */
  stage?: string;
  apiHosts?: number;
  workers?: number;
  cpu?: number;
  delayMs?: number;
  /** See Plan: for a load from one address. */
  raiseLimits?: boolean;
  appEnv?: Record<string, string>;
}

/** `up` cannot start here, or the topology is up already: one line, and nothing was made. */
export class Refused extends Error {
  override name = "Refused";
}

/** Why `up` would refuse with these options (one line), or undefined. Makes and changes nothing. */
export async function upProblem(options: UpOptions = {}): Promise<string | undefined> {
  const system = systemProblem();
  if (system) return system;
  const programs = programsProblem();
  if (programs) return programs;
  let stage: string;
  try {
    stage = resolveStage(options.stage);
  } catch (error) {
    return (error as Error).message;
  }
  const unbuilt = stageProblem(stage);
  if (unbuilt) return unbuilt;
  if (options.cpu !== undefined) {
    const noCaps = cpuCapProblem();
    if (noCaps) return `--cpu: ${noCaps}`;
  }
  if (options.delayMs !== undefined) {
    const noNetem = await netemProblem();
    if (noNetem) return `--delay: ${noNetem}`;
  }
  if ((await ourNamespaces()).length > 0 || (await ourLinks()).length > 0 || ourCgroups().length > 0) {
    return "the hosts are up already, or left over from a run that crashed (npm run hosts -- status); npm run hosts -- down first";
  }
  const taken = await subnetInUse();
  if (taken) return `the hosts' subnet is in use on this machine: ${taken}`;
  return undefined;
}

/**
 * Makes every host and starts everything in it, and resolves once every part is ready: the load
 * balancer answers /healthz?require=redis through every API host, the sentinels agree on one primary and two
 * replicas, both FerretDBs answer. Throws Refused (nothing made) or the failure of the first part
 * that did not become ready; the caller tears down what was made (`down`).
 */
export async function up(options: UpOptions = {}): Promise<State> {
  const problem = await upProblem(options);
  if (problem) throw new Refused(problem);
  const { signal, progress = () => {} } = options;
  const plan: Plan = {
    stage: resolveStage(options.stage),
    apiHosts: options.apiHosts ?? MAX_API_HOSTS,
    workers: options.workers ?? 1,
    cpu: options.cpu,
    delayMs: options.delayMs,
    raiseLimits: options.raiseLimits,
    appEnv: options.appEnv,
  };
  const hosts = hostsFor(plan.apiHosts);
  const step = (line: string) => progress(line);

  clearState();
  mkdirSync(paths.exports, { recursive: true });
  const secrets = makeSecrets();
  const state: State = { ...plan, phase: "starting", startedAt: new Date().toISOString() };
  writeState(state);

  step(`network: bridge and ${hosts.length} hosts`);
  await makeNetwork(hosts, plan);
  await makeCertificate();

  const started = { signal, progress };
  await allOrFirstError([startRedis(secrets, started), startDatabase(plan, secrets, started)]);

  step(`apps: ${plan.apiHosts} API hosts (stage ${plan.stage}, WORKERS=${plan.workers}) and 2 workers`);
  const apis = hosts.filter((h) => h.role === "api");
  await allOrFirstError([...apis, ...hostsWithRole("worker")].map((h) => startHost(h.name, started)));

  step("load balancer");
  writeLbConfig(stageDir(plan.stage), apis, { raiseLimits: plan.raiseLimits });
  await startHost("lb", started);
  await waitUntil(() => healthzThroughEvery(apis.map((h) => h.name)), {
    part: "lb (/healthz?require=redis through every API host)",
    timeoutMs: 30_000,
    log: paths.log("lb", "nginx"),
    signal,
    progress,
  });

  const running: State = { ...state, phase: "up" };
  writeState(running);
  return running;
}

/** The results of the drills and of scale outlive the topology they were measured on. */
const RESULTS = ["drills", "scale"];

/** Removes the last topology's state, logs and data; keeps RESULTS. */
function clearState() {
  if (!existsSync(STATE_DIR)) return;
  for (const entry of readdirSync(STATE_DIR)) {
    if (!RESULTS.includes(entry)) rmSync(join(STATE_DIR, entry), { recursive: true, force: true });
  }
}

/**
 * Like Promise.all, but it waits for every branch to end before it throws: a branch still starting
 * processes while `down` removes the hosts could leave one behind.
 */
async function allOrFirstError(work: Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

async function makeNetwork(hosts: readonly Host[], plan: Plan) {
  await makeBridge();
  for (const host of hosts) {
    await makeHost(host.name, host.address);
    if (plan.delayMs !== undefined) await addDelay(host.name, plan.delayMs);
    if (plan.cpu !== undefined && host.role === "api") makeCpuCap(host.name, plan.cpu);
  }
}

/** Three Redis (one primary, two replicas) and a sentinel beside each; ready once all three agree. */
async function startRedis(secrets: Secrets, options: StartOptions) {
  const redis = hostsWithRole("redis");
  for (const host of redis) writeRedisConfigs(host.name, secrets.redisPassword);
  await allOrFirstError(redis.map((h) => startHost(h.name, options)));
  const [primary] = redis;
  await waitUntil(
    async () => {
      for (const sentinel of redis) {
        const view = await sentinelView(sentinel.address, secrets.redisPassword);
        const healthy = view.replicas.filter(replicaHealthy).length;
        if (
          view.primary !== `${primary?.address}:${PORTS.redis}` ||
          healthy !== 2 ||
          view.otherSentinels !== 2
        ) {
          throw new Error(
            `${sentinel.name}'s sentinel sees primary ${view.primary}, ${healthy} healthy replicas, ` +
              `${view.otherSentinels} other sentinels`,
          );
        }
      }
    },
    {
      part: "sentinels (one primary, 2 replicas, 3 sentinels)",
      timeoutMs: 30_000,
      ...options,
      log: paths.log("redis1", "sentinel"),
    },
  );
}

/**
 * PostgreSQL on db1, its hot standby on db2 (a base backup, then streaming), a FerretDB over each.
 * The reading FerretDB starts last: it reads its catalogue once, so the apps' collections must
 * exist on the standby before it does (see ferretdb.ts).
 */
async function startDatabase(plan: Plan, secrets: Secrets, options: StartOptions) {
  await initPrimary("db1");
  await startService(serviceOf("db1", "postgres"), options);
  await provisionPrimary("db1", secrets.replicationPassword);
  await cloneStandby("db2", "db1", secrets.replicationPassword);
  await startService(serviceOf("db2", "postgres"), options);
  await startService(serviceOf("db1", "ferretdb"), options);
  await createSchema(stageDir(plan.stage), ferretUrl("db1"));
  await waitUntil(() => standbyCaughtUp("db1", "db2"), {
    part: "db2 (streaming from db1)",
    timeoutMs: 30_000,
    log: paths.log("db2", "postgres"),
    ...options,
  });
  await startService(serviceOf("db2", "ferretdb"), options);
  await waitUntil(
    async () => {
      const [primary, replica] = await Promise.all([collectionsOn("db1"), collectionsOn("db2")]);
      if (primary.join() !== replica.join()) {
        throw new Error(`db2's FerretDB sees [${replica.join(", ")}], db1's [${primary.join(", ")}]`);
      }
    },
    {
      part: "db2 ferretdb (the same collections as db1)",
      timeoutMs: 10_000,
      log: paths.log("db2", "ferretdb"),
      ...options,
    },
  );
}
