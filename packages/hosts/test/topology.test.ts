import { describe, expect, it } from "vitest";
import {
  appEnvironment,
  BRIDGE,
  BRIDGE_ADDRESS,
  HOSTS,
  hostsFor,
  LB_ADDRESS,
  PORTS,
  PREFIX,
  PUBLIC_URL,
} from "../src/topology.js";

const settings = { redisPassword: "p@ss/word", exportDir: "/shared/exports", workers: 2 };

describe("the topology", () => {
  it("gives every host its own address on the subnet, none the machine's own", () => {
    const addresses = HOSTS.map((h) => h.address);
    expect(new Set(addresses).size).toBe(HOSTS.length);
    for (const address of addresses) {
      expect(address).toMatch(/^10\.77\.0\.\d+$/);
      expect(address).not.toBe(BRIDGE_ADDRESS);
    }
  });

  it("names every interface within Linux's 15 characters, with the prefix down looks for", () => {
    for (const name of [BRIDGE, ...HOSTS.map((h) => `${PREFIX}${h.name}-in`)]) {
      expect(name.startsWith(PREFIX)).toBe(true);
      expect(name.length).toBeLessThanOrEqual(15);
    }
  });

  it("makes only the first n API hosts for --api n", () => {
    const names = hostsFor(2).map((h) => h.name);
    expect(names).toContain("api2");
    expect(names).not.toContain("api3");
    expect(names).toEqual(
      expect.arrayContaining(["lb", "worker1", "worker2", "redis1", "redis2", "redis3", "db1", "db2"]),
    );
  });

  it("points the apps at the sentinels, both FerretDBs and the shared export folder", () => {
    const env = appEnvironment("api2", "api", settings) as Record<string, string>;
    expect(env["HOST_NAME"]).toBe("api2");
    expect(env["REDIS_SENTINELS"]).toBe(
      `10.77.0.31:${PORTS.sentinel},10.77.0.32:${PORTS.sentinel},10.77.0.33:${PORTS.sentinel}`,
    );
    // a password with URL characters still makes a URL that gives it back unchanged
    expect(decodeURIComponent(new URL(env["REDIS_URL"] ?? "").password)).toBe("p@ss/word");
    expect(new URL(env["MONGO_URL"] ?? "").host).toBe(`10.77.0.41:${PORTS.ferretdb}`);
    expect(new URL(env["MONGO_READ_URL"] ?? "").host).toBe(`10.77.0.42:${PORTS.ferretdb}`);
    expect(env["EXPORT_DIR"]).toBe("/shared/exports");
    expect(env["WORKERS"]).toBe("2");
    expect(env["TRUSTED_PROXY"]).toBe(LB_ADDRESS);
    expect(env["PUBLIC_ORIGIN"]).toBe(PUBLIC_URL);
  });

  it("gives a worker the same Redis, database and folder, and nothing of a server's", () => {
    const api = appEnvironment("api1", "api", settings);
    const worker = appEnvironment("worker1", "worker", settings);
    for (const name of [
      "REDIS_URL",
      "REDIS_SENTINELS",
      "REDIS_SENTINEL_NAME",
      "MONGO_URL",
      "MONGO_READ_URL",
      "EXPORT_DIR",
    ] as const) {
      expect(worker[name]).toBe(api[name]);
    }
    expect(Object.keys(worker)).not.toContain("PORT");
  });
});
