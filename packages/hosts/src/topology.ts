/**
 * The topology, declared once: which hosts exist, what each runs, on which address and ports, and
 * what the apps are told. `npm run hosts` builds it from network namespaces on this machine;
 * stages/09-scale-out/docker-compose.yml builds the same for Docker, and a test keeps the two alike.
 */

/** Every name this makes on the machine starts with it, so `down` finds them all, even after a crash. */
export const PREFIX = "zto-";
/** The switch every host is plugged into; the machine itself is on it too, at BRIDGE_ADDRESS. */
export const BRIDGE = `${PREFIX}br0`;
export const SUBNET = "10.77.0.0/24";
export const BRIDGE_ADDRESS = "10.77.0.1";

export const PORTS = {
  http: 8888,
  https: 8443,
  api: 8000,
  redis: 6379,
  sentinel: 26379,
  postgres: 5432,
  ferretdb: 27017,
} as const;

/** The name the sentinels watch the Redis primary by (REDIS_SENTINEL_NAME). */
export const SENTINEL_NAME = "todo-redis";
/** The database the apps use, in the FerretDB (MongoDB) URLs. */
export const DATABASE = "todo";

export type Service = "nginx" | "api" | "worker" | "redis" | "sentinel" | "postgres" | "ferretdb";

export type Role = "lb" | "api" | "worker" | "redis" | "db-primary" | "db-standby";

export interface Host {
  name: string;
  role: Role;
  address: string;
  /** What runs on the host, in start order, and the ports each listens on. */
  services: { name: Service; ports: number[] }[];
}

const host = (name: string, role: Role, last: number, services: Host["services"]): Host => ({
  name,
  role,
  address: `10.77.0.${last}`,
  services,
});

/** The most API hosts there are; `--api n` starts the first n. */
export const MAX_API_HOSTS = 3;

export const HOSTS: readonly Host[] = [
  host("lb", "lb", 10, [{ name: "nginx", ports: [PORTS.http, PORTS.https] }]),
  ...[1, 2, 3].map((n) => host(`api${n}`, "api", 10 + n, [{ name: "api", ports: [PORTS.api] }])),
  ...[1, 2].map((n) => host(`worker${n}`, "worker", 20 + n, [{ name: "worker", ports: [] }])),
  ...[1, 2, 3].map((n) =>
    host(`redis${n}`, "redis", 30 + n, [
      { name: "redis", ports: [PORTS.redis] },
      { name: "sentinel", ports: [PORTS.sentinel] },
    ]),
  ),
  host("db1", "db-primary", 41, [
    { name: "postgres", ports: [PORTS.postgres] },
    { name: "ferretdb", ports: [PORTS.ferretdb] },
  ]),
  // a hot standby streaming from db1, and a FerretDB over it that serves reads only
  host("db2", "db-standby", 42, [
    { name: "postgres", ports: [PORTS.postgres] },
    { name: "ferretdb", ports: [PORTS.ferretdb] },
  ]),
];

export function hostNamed(name: string): Host {
  const found = HOSTS.find((h) => h.name === name);
  if (!found)
    throw new Error(`no host named ${JSON.stringify(name)} (hosts: ${HOSTS.map((h) => h.name).join(", ")})`);
  return found;
}

export const hostsWithRole = (role: Role) => HOSTS.filter((h) => h.role === role);

/** The hosts `up` makes for `apiHosts` API hosts (the others stay unmade). */
export const hostsFor = (apiHosts: number) =>
  HOSTS.filter((h) => h.role !== "api" || Number(h.name.slice(3)) <= apiHosts);

const addressOf = (name: string) => hostNamed(name).address;
export const LB_ADDRESS = addressOf("lb");
/** Where a browser, a load generator or a test on this machine reaches the service. */
export const PUBLIC_URL = `https://${LB_ADDRESS}:${PORTS.https}`;

export interface AppSettings {
  /** The Redis password (requirepass on every Redis and every Sentinel). */
  redisPassword: string;
  /** The folder every API host and worker shares for exports. */
  exportDir: string;
  /** Node processes per API host (the stage's WORKERS). */
  workers: number;
}

/**
 * The environment of the apps: what the stage reads. The password comes from `settings` here and
 * from the environment in docker-compose.yml; the names are the same in both.
 */
export function appEnvironment(name: string, role: "api" | "worker", settings: AppSettings) {
  const redisHosts = hostsWithRole("redis");
  const [db1, db2] = [addressOf("db1"), addressOf("db2")];
  const password = encodeURIComponent(settings.redisPassword);
  const shared = {
    HOST_NAME: name,
    // the first primary, and the password: a stage without Sentinel support uses this one Redis
    REDIS_URL: `redis://:${password}@${redisHosts[0]?.address}:${PORTS.redis}`,
    // a stage with Sentinel support asks these where the primary is now (same password)
    REDIS_SENTINELS: redisHosts.map((h) => `${h.address}:${PORTS.sentinel}`).join(","),
    REDIS_SENTINEL_NAME: SENTINEL_NAME,
    MONGO_URL: `mongodb://${db1}:${PORTS.ferretdb}/${DATABASE}`,
    MONGO_READ_URL: `mongodb://${db2}:${PORTS.ferretdb}/${DATABASE}`,
    EXPORT_DIR: settings.exportDir,
  };
  if (role === "worker") return shared;
  return {
    ...shared,
    PORT: String(PORTS.api),
    HOST: "0.0.0.0",
    WORKERS: String(settings.workers),
    // X-Forwarded-For and -Proto are believed from the load balancer only
    TRUSTED_PROXY: LB_ADDRESS,
    PUBLIC_ORIGIN: PUBLIC_URL,
  };
}
