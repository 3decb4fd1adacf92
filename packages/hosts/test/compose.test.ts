import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../src/state.js";
import { appEnvironment, HOSTS, PORTS, SENTINEL_NAME, SUBNET } from "../src/topology.js";

/** The parts of a compose service this compares. */
interface ComposeService {
  labels?: Record<string, string>;
  network_mode?: string;
  networks?: { hosts?: { ipv4_address?: string } };
  expose?: (string | number)[];
  environment?: Record<string, string>;
  command?: string | string[];
}

const file = join(REPO_ROOT, "stages", "09-scale-out", "docker-compose.yml");
// merge: the file shares settings between services with YAML's `<<` merge keys
const compose = parse(readFileSync(file, "utf8"), { merge: true }) as {
  services: Record<string, ComposeService>;
  networks: { hosts: { ipam: { config: { subnet: string }[] } } };
};
const services = compose.services;
/** A host is a service with an address of its own; setup services (one-shot) are no host. */
const composeHosts = Object.entries(services).filter(
  ([, s]) => s.network_mode === undefined && s.labels?.["zto.role"] !== "setup",
);
/** Its programs: its own, then those that share its network namespace. */
const programsOf = (name: string) =>
  Object.values(services)
    .filter((s) => s === services[name] || s.network_mode === `service:${name}`)
    .map((s) => s.labels?.["zto.service"]);

describe("docker-compose.yml of stage 09 and the hosts of npm run hosts", () => {
  it("has the same hosts, with the same roles and addresses, on the same subnet", () => {
    expect(composeHosts.map(([name]) => name).sort()).toEqual(HOSTS.map((h) => h.name).sort());
    for (const host of HOSTS) {
      const service = services[host.name];
      expect(service?.labels?.["zto.role"], host.name).toBe(host.role);
      expect(service?.networks?.hosts?.ipv4_address, host.name).toBe(host.address);
    }
    expect(compose.networks.hosts.ipam.config[0]?.subnet).toBe(SUBNET);
  });

  it("runs the same programs on each host, on the same ports", () => {
    for (const host of HOSTS) {
      expect(programsOf(host.name).sort(), host.name).toEqual(host.services.map((s) => s.name).sort());
      const exposed = (services[host.name]?.expose ?? []).map(Number).sort();
      expect(exposed, host.name).toEqual(host.services.flatMap((s) => s.ports).sort());
    }
  });

  it("gives the apps the same settings, by name, and the same addresses in them", () => {
    const settings = { redisPassword: "secret", exportDir: "/exports", workers: 1 };
    for (const host of HOSTS.filter((h) => h.role === "api" || h.role === "worker")) {
      const ours = appEnvironment(host.name, host.role as "api" | "worker", settings);
      const theirs = services[host.name]?.environment ?? {};
      expect(Object.keys(theirs).sort(), host.name).toEqual(Object.keys(ours).sort());
      for (const name of [
        "HOST_NAME",
        "REDIS_SENTINELS",
        "REDIS_SENTINEL_NAME",
        "MONGO_URL",
        "MONGO_READ_URL",
      ] as const) {
        expect(theirs[name], `${host.name} ${name}`).toBe(ours[name]);
      }
      // the same Redis, with the password from the environment instead
      const interpolated = String(theirs["REDIS_URL"]).replace(/\$\{[^}]*\}/g, "secret");
      expect(new URL(interpolated).host).toBe(new URL(ours.REDIS_URL).host);
      if (host.role === "api") {
        const api = ours as Record<string, string>;
        for (const name of ["PORT", "HOST", "WORKERS", "TRUSTED_PROXY"])
          expect(theirs[name], `${host.name} ${name}`).toBe(api[name]);
      }
    }
  });

  it("has the sentinels watch the first Redis under the name the apps ask for", () => {
    const [first] = HOSTS.filter((h) => h.role === "redis");
    for (const name of ["redis1-sentinel", "redis2-sentinel", "redis3-sentinel"]) {
      const command = [services[name]?.command ?? []].flat().join("\n");
      expect(command, name).toContain(`sentinel monitor ${SENTINEL_NAME} ${first?.address} ${PORTS.redis} 2`);
    }
  });
});
