import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "redis";
import type { Daemon } from "./processes.js";
import { paths } from "./state.js";
import { HOSTS, hostsWithRole, PORTS, SENTINEL_NAME } from "./topology.js";

/** How long a primary may stay silent before the sentinels agree it is down and promote a replica. */
const DOWN_AFTER_MS = 3_000;

/**
 * redis.conf and sentinel.conf for a redis host: the first one starts as the primary, the others
 * replicate it. Every Redis and every Sentinel asks for the same password; Sentinel rewrites its
 * file as the topology changes (a failover, a new replica), so each host has its own copy.
 */
export function writeRedisConfigs(name: string, password: string): void {
  const [first] = hostsWithRole("redis");
  const me = HOSTS.find((h) => h.name === name);
  if (!first || !me) throw new Error(`${name} is not a redis host`);
  const dir = paths.host(name);
  mkdirSync(join(dir, "data"), { recursive: true });
  const redis = [
    `port ${PORTS.redis}`,
    "bind 0.0.0.0", // every address of its namespace: its eth0 and its loopback
    `dir ${join(dir, "data")}`,
    `requirepass ${password}`,
    // a replica logs in to its primary, and any of them may be the primary after a failover
    `masterauth ${password}`,
    // sessions and queued jobs are data: kept on disk, never evicted
    "appendonly yes",
    "maxmemory-policy noeviction",
    ...(me === first ? [] : [`replicaof ${first.address} ${PORTS.redis}`]),
  ];
  const sentinel = [
    `port ${PORTS.sentinel}`,
    "bind 0.0.0.0",
    `dir ${dir}`,
    // clients must authenticate to Sentinel too; sentinels use the same password with each other
    `requirepass ${password}`,
    // a quorum of 2: two of the three sentinels must see the primary down before a failover
    `sentinel monitor ${SENTINEL_NAME} ${first.address} ${PORTS.redis} 2`,
    `sentinel auth-pass ${SENTINEL_NAME} ${password}`,
    `sentinel down-after-milliseconds ${SENTINEL_NAME} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${SENTINEL_NAME} 10000`,
    `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
  ];
  writeFileSync(join(dir, "redis.conf"), redis.join("\n") + "\n", { mode: 0o600 });
  writeFileSync(join(dir, "sentinel.conf"), sentinel.join("\n") + "\n", { mode: 0o600 });
}

export const redisDaemon = (name: string): Daemon => ({
  argv: ["redis-server", join(paths.host(name), "redis.conf")],
  env: {},
  log: paths.log(name, "redis"),
});

export const sentinelDaemon = (name: string): Daemon => ({
  argv: ["redis-sentinel", join(paths.host(name), "sentinel.conf")],
  env: {},
  log: paths.log(name, "sentinel"),
});

/** One command to one Redis or Sentinel, on a connection of its own that fails fast. */
export async function redisCommand(
  address: string,
  port: number,
  password: string,
  command: string[],
): Promise<unknown> {
  const client = createClient({
    socket: { host: address, port, connectTimeout: 1_000, reconnectStrategy: false },
    password,
  });
  client.on("error", () => {}); // the rejected command below says what went wrong
  await client.connect();
  try {
    return await client.sendCommand(command);
  } finally {
    client.destroy();
  }
}

export interface SentinelView {
  primary: string;
  replicas: { address: string; flags: string; link: string }[];
  otherSentinels: number;
}

/** What one sentinel believes: the primary, its replicas and how many other sentinels it knows. */
export async function sentinelView(address: string, password: string): Promise<SentinelView> {
  const ask = (...command: string[]) =>
    redisCommand(address, PORTS.sentinel, password, ["SENTINEL", ...command]);
  const master = record(await ask("MASTER", SENTINEL_NAME));
  const replicas = ((await ask("REPLICAS", SENTINEL_NAME)) as unknown[]).map(record);
  return {
    primary: `${master["ip"]}:${master["port"]}`,
    replicas: replicas.map((r) => ({
      address: `${r["ip"]}:${r["port"]}`,
      flags: r["flags"] ?? "",
      link: r["master-link-status"] ?? "",
    })),
    otherSentinels: Number(master["num-other-sentinels"]),
  };
}

/** A reply of field-value pairs: a map under RESP3 (node-redis's default), a flat list under RESP2. */
const record = (reply: unknown): Record<string, string> => {
  if (!Array.isArray(reply)) return reply as Record<string, string>;
  const map: Record<string, string> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) map[String(reply[i])] = String(reply[i + 1]);
  return map;
};

/** A healthy replica: linked to its primary and seen down by no one. */
export const replicaHealthy = (r: SentinelView["replicas"][number]) =>
  r.link === "ok" && !/s_down|o_down|disconnected/.test(r.flags);

/**
 * The Redis primary now, as the sentinels tell it (the first that answers): its host, address and
 * port. After a failover this is where the apps' Sentinel clients send their writes.
 */
export async function redisPrimary(
  password: string,
): Promise<{ host: string; address: string; port: number }> {
  const errors: string[] = [];
  for (const sentinel of hostsWithRole("redis")) {
    try {
      const reply = (await redisCommand(sentinel.address, PORTS.sentinel, password, [
        "SENTINEL",
        "GET-MASTER-ADDR-BY-NAME",
        SENTINEL_NAME,
      ])) as [string, string] | null;
      if (!reply) throw new Error(`it does not know ${SENTINEL_NAME}`);
      const [address, port] = reply;
      const host = HOSTS.find((h) => h.address === address)?.name ?? address;
      return { host, address, port: Number(port) };
    } catch (error) {
      errors.push(`${sentinel.name}: ${(error as Error).message}`);
    }
  }
  throw new Error(`no sentinel answered: ${errors.join("; ")}`);
}
