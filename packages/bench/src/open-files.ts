import { spawnSync } from "node:child_process";

/**
 * Files a load generator opens besides one socket per connection: its own pipes and event loop,
 * and for autocannon, which runs inside the tour, the pipes of every server the tour started.
 */
export const SPARE_FILES = 256;

/** The open-file limits (`ulimit -Sn`, `ulimit -Hn`) a program started from here gets; undefined when unknown. */
export function openFileLimits(): { soft: number; hard: number } | undefined {
  const probe = spawnSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  const [soft, hard] = probe.stdout
    .trim()
    .split("\n")
    .map((v) => (v.trim() === "unlimited" ? Infinity : Number(v)));
  return soft !== undefined && hard !== undefined && !Number.isNaN(soft + hard) ? { soft, hard } : undefined;
}

/**
 * Why a load tool cannot hold `connections` open here, or undefined when it can. autocannon runs
 * in this very process, so its soft limit counts (Node raises it to the hard limit when it starts);
 * wrk is started with its soft limit raised (see tools/wrk.ts) and k6 raises its own, so for them the
 * hard limit does. Past the limit a tool's sockets fail to open, and its own failures would be
 * counted as the server's errors.
 */
export function openFilesProblem(
  tool: "autocannon" | "wrk" | "k6",
  connections: number,
  limits = openFileLimits(),
): string | undefined {
  if (!limits) return undefined;
  const need = connections + SPARE_FILES;
  const limit = tool === "autocannon" ? limits.soft : limits.hard;
  if (limit >= need) return undefined;
  const which = tool === "autocannon" ? "ulimit -n of the tour's own process" : "ulimit -Hn";
  return (
    `${connections.toLocaleString("en-US")} connections need about ${need.toLocaleString("en-US")} open files ` +
    `and ${tool} may open ${limit.toLocaleString("en-US")} (${which}): raise it, e.g. ulimit -n ${Math.max(4096, need)}`
  );
}
