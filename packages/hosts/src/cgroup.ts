import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PREFIX } from "./topology.js";

const ROOT = "/sys/fs/cgroup";
const PERIOD_US = 100_000;

/** cgroup v2 (one tree, cpu.max) when the root lists its controllers; else v1's cpu hierarchy. */
const unified = () => existsSync(join(ROOT, "cgroup.controllers"));
const parent = () => (unified() ? ROOT : join(ROOT, "cpu"));

export const cgroupOf = (name: string) => join(parent(), `${PREFIX}${name}`);

/** Why CPU caps cannot be set here, or undefined when they can. */
export function cpuCapProblem(): string | undefined {
  if (unified()) {
    const controllers = readFileSync(join(ROOT, "cgroup.controllers"), "utf8");
    return controllers.split(/\s+/).includes("cpu")
      ? undefined
      : `cgroup v2 without the cpu controller (${ROOT}/cgroup.controllers: ${controllers.trim()})`;
  }
  return existsSync(join(ROOT, "cpu", "cpu.cfs_quota_us"))
    ? undefined
    : `no cgroup cpu controller: neither ${ROOT}/cgroup.controllers (v2) nor ${ROOT}/cpu/cpu.cfs_quota_us (v1)`;
}

/**
 * A cgroup that lets its processes use `fraction` of one core (0.5: 50 ms of every 100 ms), however
 * many processes it holds. Returns its folder, for startIn's `cgroup`.
 */
export function makeCpuCap(name: string, fraction: number): string {
  const dir = cgroupOf(name);
  const quota = String(Math.round(fraction * PERIOD_US));
  if (unified()) {
    // a child gets the cpu controller only when its parent hands it down
    const control = join(ROOT, "cgroup.subtree_control");
    if (!readFileSync(control, "utf8").split(/\s+/).includes("cpu")) writeFileSync(control, "+cpu");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cpu.max"), `${quota} ${PERIOD_US}`);
  } else {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cpu.cfs_period_us"), String(PERIOD_US));
    writeFileSync(join(dir, "cpu.cfs_quota_us"), quota);
  }
  return dir;
}

/** The cap as a fraction of a core, or undefined without one. */
export function cpuCapOf(name: string): number | undefined {
  const dir = cgroupOf(name);
  if (!existsSync(dir)) return undefined;
  if (unified()) {
    const [quota, period] = readFileSync(join(dir, "cpu.max"), "utf8").trim().split(" ");
    return quota === "max" ? undefined : Number(quota) / Number(period);
  }
  const quota = Number(readFileSync(join(dir, "cpu.cfs_quota_us"), "utf8"));
  return quota < 0 ? undefined : quota / Number(readFileSync(join(dir, "cpu.cfs_period_us"), "utf8"));
}

/** How often the cap held the cgroup back, from its cpu.stat (v1: nr_throttled, v2: nr_throttled). */
export function throttledPeriods(name: string): number | undefined {
  const stat = join(cgroupOf(name), "cpu.stat");
  if (!existsSync(stat)) return undefined;
  const match = /^nr_throttled (\d+)$/m.exec(readFileSync(stat, "utf8"));
  return match ? Number(match[1]) : undefined;
}

export function ourCgroups(): string[] {
  const dir = parent();
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.startsWith(PREFIX))
    .map((entry) => join(dir, entry));
}

/** Removes the cgroups (their processes must be gone: a cgroup with processes cannot be removed). */
export function removeCgroups(): string[] {
  const problems: string[] = [];
  for (const dir of ourCgroups()) {
    try {
      rmdirSync(dir);
    } catch (error) {
      problems.push(`rmdir ${dir}: ${(error as Error).message}`);
    }
  }
  return problems;
}

/** The pids still in a cgroup: `down` kills them before it removes the cgroup. */
export function cgroupPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n").filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
