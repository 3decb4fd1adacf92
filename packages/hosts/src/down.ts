import { rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { cgroupPids, ourCgroups, removeCgroups } from "./cgroup.js";
import { ourLinks, ourNamespaces, removeNetwork } from "./network.js";
import { hostPids, stopHost } from "./processes.js";
import { paths } from "./state.js";
import { PREFIX } from "./topology.js";

export interface DownReport {
  /** The hosts (namespaces) that were found and removed. */
  removed: string[];
  /** What could not be removed, one line each (empty when nothing is left behind). */
  problems: string[];
}

/**
 * Stops everything and removes every namespace, link, bridge, cgroup (and, with the links, every
 * qdisc) this made, found by their prefix: it works on a topology half made, or left by a crash.
 * The state folder keeps the logs until the next `up`.
 */
export async function down({ progress = (_line: string) => {}, graceMs = 10_000 } = {}): Promise<DownReport> {
  const namespaces = await ourNamespaces();
  const hosts = namespaces.map((ns) => ns.slice(PREFIX.length));
  if (hosts.length > 0) progress(`stopping ${hosts.join(", ")}`);
  // the apps first, so they drain while their Redis and database are still there
  const order = (name: string) => (/^(lb|api|worker)/.test(name) ? 0 : 1);
  for (const rank of [0, 1]) {
    await Promise.all(hosts.filter((h) => order(h) === rank).map((h) => stopHost(h, { graceMs })));
  }
  // a process that left its namespace's list but is still in a cgroup of ours
  for (const dir of ourCgroups()) {
    for (const pid of cgroupPids(dir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
  }
  await sleep(ourCgroups().length > 0 ? 200 : 0);
  const problems: string[] = [];
  for (const host of hosts) {
    const left = await hostPids(host);
    if (left.length > 0) problems.push(`${host}: processes ${left.join(", ")} did not stop`);
  }
  problems.push(...(await removeNetwork()), ...removeCgroups());
  rmSync(paths.state, { force: true });
  const links = await ourLinks();
  if (links.length > 0) problems.push(`links left: ${links.join(", ")}`);
  return { removed: hosts, problems };
}
