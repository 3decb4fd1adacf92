import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ask } from "./http.js";
import { UPSTREAM_LOG } from "./lb.js";
import { paths } from "./state.js";
import { HOSTS, PUBLIC_URL } from "./topology.js";

export interface Served {
  method: string;
  path: string;
  status: number;
  /** The hosts nginx tried, in order (more than one when it went on to the next). */
  hosts: string[];
}

const hostAt = (address: string) => HOSTS.find((h) => address.startsWith(`${h.address}:`))?.name ?? address;

/** The load balancer's log of which API host served each request, oldest first. */
export function servedRequests(): Served[] {
  const file = join(paths.host("lb"), UPSTREAM_LOG);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((line) => / (\S+) (\S+) (\d+) upstream=(.*) upstream_status=/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, method = "", path = "", status = "", upstream = ""]) => ({
      method,
      path,
      status: Number(status),
      // "10.77.0.11:8000, 10.77.0.12:8000" when nginx went on to the next; "-" when it tried none
      hosts: upstream === "-" ? [] : upstream.split(/\s*[,:]\s+/).map(hostAt),
    }));
}

/**
 * Asks the load balancer for /healthz?require=redis until each of `apis` has answered one with 200:
 * the lb reaches every API host, and every one is whole, its cache and its sessions on Redis included
 * (a plain /healthz answers 200 "degraded" while they are away, when no one can sign in). Throws
 * naming the hosts not reached yet.
 */
export async function healthzThroughEvery(apis: readonly string[]): Promise<void> {
  const answer = await ask(`${PUBLIC_URL}/healthz?require=redis`);
  if (answer.status !== 200) {
    // the checks say which part is away (the cache's Redis, the sessions', the database)
    throw new Error(
      `/healthz?require=redis through the lb answered ${answer.status}: ${answer.body.slice(0, 400)}`,
    );
  }
  const reached = new Set(
    servedRequests()
      .filter((r) => r.path === "/healthz" && r.status === 200)
      .map((r) => r.hosts.at(-1)),
  );
  const missing = apis.filter((api) => !reached.has(api));
  if (missing.length > 0) throw new Error(`the lb has not reached ${missing.join(", ")} yet`);
}
