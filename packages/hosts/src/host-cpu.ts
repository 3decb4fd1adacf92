import { readFileSync } from "node:fs";
import { ticksPerSec } from "@zero-to-one/bench/dist/cpu.js";
import { hostPids } from "./processes.js";

/** A process's own CPU time so far (user + system, in clock ticks) and its program's name, from /proc. */
function processCpu(pid: number): { program: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses
    const program = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { program, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** Every process of the host now: its pid, its program ("nginx", "postgres", "node"…) and its CPU seconds. */
export async function hostCpu(name: string): Promise<Map<number, { program: string; seconds: number }>> {
  const ticks = ticksPerSec();
  const processes = new Map<number, { program: string; seconds: number }>();
  for (const pid of await hostPids(name)) {
    const cpu = processCpu(pid);
    if (cpu) processes.set(pid, { program: cpu.program, seconds: cpu.ticks / ticks });
  }
  return processes;
}

/**
 * CPU seconds each program of the host used between two hostCpu readings, by program name. A
 * process that started in between counts whole; one that ended in between is left out (an nginx
 * worker that a reload replaced, say), where a sum over the host would go down.
 */
export function cpuUsedBetween(
  before: Map<number, { program: string; seconds: number }>,
  after: Map<number, { program: string; seconds: number }>,
): Map<string, number> {
  const used = new Map<string, number>();
  for (const [pid, { program, seconds }] of after) {
    const earlier = before.get(pid);
    const delta = earlier && earlier.program === program ? seconds - earlier.seconds : seconds;
    used.set(program, (used.get(program) ?? 0) + delta);
  }
  return used;
}

/** The whole machine's busy CPU time so far, in seconds summed over its cores (/proc/stat). */
export function machineBusySeconds(): number {
  const [, ...fields] = (readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "").trim().split(/\s+/);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = fields.map(Number);
  return (user + nice + system + irq + softirq) / ticksPerSec();
}
