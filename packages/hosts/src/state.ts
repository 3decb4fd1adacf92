import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root: this file is packages/hosts/{src,dist}/state.{ts,js}. */
export const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));

/** Everything `up` writes: pids, logs, data, the certificate (git ignores .data/). */
export const STATE_DIR = process.env["ZTO_HOSTS_DIR"] ?? join(REPO_ROOT, ".data", "hosts");

export const paths = {
  state: join(STATE_DIR, "state.json"),
  secrets: join(STATE_DIR, "secrets.json"),
  tls: join(STATE_DIR, "tls"),
  /**
   * The exports' shared storage: a folder every host sees, since network namespaces share the
   * machine's files. Across real machines this is a network volume (NFS, EFS) or object storage.
   */
  exports: join(STATE_DIR, "shared", "exports"),
  host: (name: string) => join(STATE_DIR, name),
  log: (host: string, service: string) => join(STATE_DIR, host, `${service}.log`),
};

/** What `up` was asked for: what start, status and the drills rebuild the hosts' commands from. */
export interface Plan {
  /** The stage folder name, e.g. 09-scale-out. */
  stage: string;
  apiHosts: number;
  /** Node processes per API host. */
  workers: number;
  /** Each API host's CPU cap as a fraction of a core. */
  cpu?: number;
  /** netem delay on every host's link, in ms. */
  delayMs?: number;
  /**
   * For a load that comes from one address (the drills, scale): nginx's limit_req rates and the
   * apps' per-user and sign-in limits raised out of its way, as the bench tour does for list-tls.
   */
  raiseLimits?: boolean;
  /** Settings added to the apps' environment (the drills' short job lock, say). */
  appEnv?: Record<string, string>;
}

export interface State extends Plan {
  phase: "starting" | "up";
  startedAt: string;
}

export interface Secrets {
  redisPassword: string;
  replicationPassword: string;
}

export function readState(): State | undefined {
  if (!existsSync(paths.state)) return undefined;
  return JSON.parse(readFileSync(paths.state, "utf8")) as State;
}

export function writeState(state: State): void {
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(paths.state, JSON.stringify(state, null, 2) + "\n");
}

/** Fresh random passwords, readable by root only; hex, so they fit in any URL or config line as is. */
export function makeSecrets(): Secrets {
  const secrets = {
    redisPassword: randomBytes(24).toString("hex"),
    replicationPassword: randomBytes(24).toString("hex"),
  };
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(paths.secrets, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
  return secrets;
}

export function readSecrets(): Secrets {
  return JSON.parse(readFileSync(paths.secrets, "utf8")) as Secrets;
}
