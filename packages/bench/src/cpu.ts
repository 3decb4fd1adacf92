import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";

/** Whether this system has /proc to read a process's CPU time from (Linux). */
export const hasProc = () => existsSync("/proc/self/stat");

/** The clock ticks per second /proc counts CPU time in (USER_HZ): 100 on nearly every Linux. */
export function ticksPerSec(): number {
  const probe = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const ticks = Number(probe.stdout?.trim());
  return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
}

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the command name (field 2) is in brackets and may hold spaces; the fields after it are plain
    const fields = line.slice(line.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone in the meantime
  }
}

/**
 * The CPU time (user + system, in seconds) that a process and all its descendants have used so far:
 * a cluster's primary with its workers. Undefined without /proc.
 */
export function cpuSecondsOf(pid: number, ticks = ticksPerSec()): number | undefined {
  if (!hasProc()) return undefined;
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => procStat(Number(name)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const stat of all) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  const own = all.filter((stat) => tree.has(stat.pid));
  if (!own.some((stat) => stat.pid === pid)) return undefined;
  return own.reduce((sum, stat) => sum + stat.ticks, 0) / ticks;
}
