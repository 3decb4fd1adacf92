import { readLogSince } from "./logs.js";
import { join } from "node:path";
import { ask } from "./http.js";
import type { Daemon } from "./processes.js";
import { paths, type Plan } from "./state.js";
import { appEnvironment, hostNamed, PORTS, type AppSettings } from "./topology.js";

/** The apps' own limits raised as high as they go: per user (API) and per address (sign-in). */
export const RAISED_APP_LIMITS = { RATE_LIMIT_API: "1000000/1000000", RATE_LIMIT_LOGIN: "1000000/1000000" };

/** What the plan adds to the topology's settings: raised limits, then its own settings. */
export const planEnvironment = (plan: Plan): Record<string, string> => ({
  ...(plan.raiseLimits ? RAISED_APP_LIMITS : {}),
  ...plan.appEnv,
});

/** The stage's API cluster (its primary and WORKERS processes) on an API host. */
export const apiDaemon = (
  name: string,
  stageDir: string,
  settings: AppSettings,
  extra: Record<string, string>,
  cgroup?: string,
): Daemon => ({
  argv: [process.execPath, join(stageDir, "dist", "server.js")],
  env: { ...appEnvironment(name, "api", settings), ...extra },
  log: paths.log(name, "api"),
  cwd: stageDir,
  cgroup,
});

/** The stage's BullMQ worker on a worker host. */
export const workerDaemon = (
  name: string,
  stageDir: string,
  settings: AppSettings,
  extra: Record<string, string>,
): Daemon => ({
  argv: [process.execPath, join(stageDir, "dist", "worker.js")],
  env: { ...appEnvironment(name, "worker", settings), ...extra },
  log: paths.log(name, "worker"),
  cwd: stageDir,
});

/** The API host answers its own /healthz with 200 (its store and Redis are reachable from it). */
export async function apiHealthy(name: string): Promise<void> {
  const answer = await ask(`http://${hostNamed(name).address}:${PORTS.api}/healthz`);
  if (answer.status !== 200)
    throw new Error(`/healthz answered ${answer.status}: ${answer.body.slice(0, 300)}`);
}

/**
 * The worker has said it takes jobs: the stage's worker prints "worker taking … jobs" once BullMQ's
 * connection is ready; before that, or when it has exited, it is not ready.
 */
export async function workerReady(name: string, logOffset: number): Promise<void> {
  const text = readLogSince(paths.log(name, "worker"), logOffset);
  if (!/worker taking .* jobs/.test(text)) throw new Error("it has not said it takes jobs yet");
}
