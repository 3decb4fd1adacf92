import { cpuCapOf } from "./cgroup.js";
import { delayOf } from "./netem.js";
import { linkState, ourNamespaces } from "./network.js";
import { hostPids } from "./processes.js";
import { redisPrimary } from "./redis.js";
import { paths, readSecrets, readState, type State } from "./state.js";
import { HOSTS, PREFIX, PUBLIC_URL, type Host } from "./topology.js";

export interface HostStatus extends Host {
  /** Whether `up` made this host (an API host beyond --api n is not made). */
  made: boolean;
  link: "up" | "down" | "absent";
  processes: number;
  cpu?: number;
  delayMs?: number;
}

export interface Status {
  state?: State;
  hosts: HostStatus[];
  redisPrimary?: string;
  url: string;
  exports: string;
}

export async function status(): Promise<Status> {
  const state = readState();
  const made = new Set((await ourNamespaces()).map((ns) => ns.slice(PREFIX.length)));
  const hosts = await Promise.all(
    HOSTS.map(async (host): Promise<HostStatus> => ({
      ...host,
      made: made.has(host.name),
      link: await linkState(host.name),
      processes: (await hostPids(host.name)).length,
      cpu: cpuCapOf(host.name),
      delayMs: await delayOf(host.name),
    })),
  );
  let primary: string | undefined;
  if (state) {
    try {
      const found = await redisPrimary(readSecrets().redisPassword);
      primary = `${found.host} (${found.address}:${found.port})`;
    } catch (error) {
      primary = `unknown: ${(error as Error).message}`;
    }
  }
  return { state, hosts, redisPrimary: primary, url: PUBLIC_URL, exports: paths.exports };
}

/** The map of hosts and addresses, as `up` and `status` print it. */
export function renderStatus(s: Status): string {
  const lines: string[] = [];
  if (!s.state && s.hosts.every((h) => !h.made)) return "the hosts are down (npm run hosts -- up)";
  if (s.state) {
    lines.push(
      `stage ${s.state.stage}, ${s.state.apiHosts} API hosts (WORKERS=${s.state.workers}), ${s.state.phase} since ${s.state.startedAt}`,
    );
  } else {
    lines.push("left over from a run that did not finish: npm run hosts -- down removes it");
  }
  lines.push("");
  lines.push("host      role        address      link  procs  services");
  for (const h of s.hosts) {
    if (!h.made) {
      lines.push(`${h.name.padEnd(9)} ${h.role.padEnd(11)} ${h.address.padEnd(12)} (not made)`);
      continue;
    }
    const services = h.services
      .map((x) => (x.ports.length ? `${x.name}:${x.ports.join(",")}` : x.name))
      .join(" ");
    const extras = [
      h.cpu !== undefined ? `cpu ${h.cpu} core` : "",
      h.delayMs !== undefined ? `delay ${h.delayMs} ms` : "",
    ].filter(Boolean);
    lines.push(
      `${h.name.padEnd(9)} ${h.role.padEnd(11)} ${h.address.padEnd(12)} ${h.link.padEnd(5)} ${String(h.processes).padStart(5)}  ${services}` +
        (extras.length ? `  (${extras.join(", ")})` : ""),
    );
  }
  lines.push("");
  lines.push(`service:        ${s.url}  (curl --cacert ${paths.tls}/cert.pem ${s.url}/index)`);
  if (s.redisPrimary) lines.push(`redis primary:  ${s.redisPrimary}, as the sentinels say`);
  lines.push(
    `exports:        ${s.exports}: shared storage, one folder every host sees here ` +
      "(namespaces share the machine's files); across machines, a network volume or object storage",
  );
  lines.push(`logs and data:  ${paths.host("<host>")}/`);
  return lines.join("\n");
}
