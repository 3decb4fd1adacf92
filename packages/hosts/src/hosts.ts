import { logSize } from "./logs.js";
import { startIn } from "./processes.js";
import { serviceRuns, type ServiceRun } from "./services.js";
import { readSecrets, readState } from "./state.js";
import type { Service } from "./topology.js";
import { waitUntil } from "./wait.js";

export interface StartOptions {
  signal?: AbortSignal;
  progress?: (line: string) => void;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Starts one program in its host and resolves once it is ready; a failure names it and quotes its log. */
export async function startService(run: ServiceRun, { signal, progress }: StartOptions = {}): Promise<void> {
  const daemon = await run.daemon();
  const offset = logSize(daemon.log);
  const pid = startIn(run.host, daemon);
  await waitUntil(() => run.ready(offset), {
    part: `${run.host} ${run.service}`,
    timeoutMs: run.timeoutMs,
    log: daemon.log,
    signal,
    progress,
    gone: async () => !alive(pid),
  });
}

/** The running topology's program `service` of host `name`. */
export function serviceOf(name: string, service: Service): ServiceRun {
  const state = readState();
  if (!state) throw new Error("the topology is not up (npm run hosts -- up)");
  const run = serviceRuns(name, state, readSecrets()).find((r) => r.service === service);
  if (!run) throw new Error(`${name} runs no ${service}`);
  return run;
}

/**
 * Starts the host's programs again, in order, each once the one before is ready (redis, then its
 * sentinel; postgres, then its FerretDB), and resolves when the last is ready. Its data, configs and
 * network are as `up` (or the running topology) left them.
 */
export async function startHost(name: string, options: StartOptions = {}): Promise<void> {
  const state = readState();
  if (!state) throw new Error("the topology is not up (npm run hosts -- up)");
  for (const run of serviceRuns(name, state, readSecrets())) await startService(run, options);
}
