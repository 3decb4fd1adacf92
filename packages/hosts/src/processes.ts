import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { netnsOf } from "./network.js";
import { run, type Ran, type RunOptions } from "./run.js";

/** Every process in the host's namespace: whatever started it, and even after a crash of `up`. */
export async function hostPids(name: string): Promise<number[]> {
  const ran = await run(["ip", "netns", "pids", netnsOf(name)]);
  if (ran.code !== 0) return [];
  return ran.stdout
    .split("\n")
    .map(Number)
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

const signalAll = (pids: number[], signal: NodeJS.Signals) => {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone already
    }
  }
};

/** kill -9 every process of the host at once: a power cut, as far as its software can tell. */
export async function killHost(name: string): Promise<number[]> {
  const pids = await hostPids(name);
  signalAll(pids, "SIGKILL");
  await waitGone(name, 5_000);
  return pids;
}

/** The parent of a process, from /proc (undefined once it is gone). */
export const parentOf = (pid: number) => {
  try {
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after its last ")"
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
};

/**
 * Stops the host's programs as a shutdown would: SIGTERM to each program's main process (the
 * cluster's primary, nginx's master, the postmaster), which stops its own children in its own way;
 * time to drain; then SIGKILL for whatever is left. Resolves when nothing runs in the host any more.
 */
export async function stopHost(name: string, { graceMs = 15_000 } = {}): Promise<void> {
  const pids = await hostPids(name);
  const inHost = new Set(pids);
  signalAll(
    pids.filter((pid) => !inHost.has(parentOf(pid) ?? 0)),
    "SIGTERM",
  );
  if (await waitGone(name, graceMs)) return;
  signalAll(await hostPids(name), "SIGKILL");
  await waitGone(name, 5_000);
}

async function waitGone(name: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await hostPids(name)).length === 0) return true;
    await sleep(100);
  }
  return (await hostPids(name)).length === 0;
}

/** Runs a command inside the host (its network, the machine's files) to its end. */
export function runIn(name: string, argv: readonly string[], options?: RunOptions): Promise<Ran> {
  return run(["ip", "netns", "exec", netnsOf(name), ...argv], options);
}

export interface Daemon {
  argv: readonly string[];
  env: Record<string, string>;
  /** Where its output goes (appended). */
  log: string;
  /** Runs as this user instead of root (PostgreSQL refuses to run as root). */
  user?: string;
  cwd?: string;
  /** A cgroup folder whose cgroup.procs it joins before it starts, so its children are in it too. */
  cgroup?: string;
}

/** Starts a long-running program inside the host, detached from this process; returns its pid. */
export function startIn(name: string, daemon: Daemon): number {
  const asUser = daemon.user
    ? ["setpriv", `--reuid=${daemon.user}`, `--regid=${daemon.user}`, "--init-groups", "--"]
    : [];
  let argv = ["ip", "netns", "exec", netnsOf(name), ...asUser, ...daemon.argv];
  if (daemon.cgroup) {
    argv = ["sh", "-c", 'echo $$ > "$0/cgroup.procs" && exec "$@"', daemon.cgroup, ...argv];
  }
  mkdirSync(dirname(daemon.log), { recursive: true });
  const out = openSync(daemon.log, "a");
  try {
    const [program = "", ...args] = argv;
    const child = spawn(program, args, {
      detached: true, // its own process group: a Ctrl-C meant for `up` does not reach it
      stdio: ["ignore", out, out],
      cwd: daemon.cwd,
      env: { PATH: process.env["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...daemon.env },
    });
    child.on("error", () => {}); // ip is checked before `up`; a program missing in the host fails its readiness check
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${daemon.argv.join(" ")} in ${name}`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}
