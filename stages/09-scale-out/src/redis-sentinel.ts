import { ConfigError, text, type Setting } from "@zero-to-one/server-kit";

/** Where the Sentinels are, and the name of the primary they watch for us. */
export interface SentinelTarget {
  sentinels: { host: string; port: number }[];
  name: string;
  /** The password of the Redis servers, and of the Sentinels, which ask for the same one. */
  password?: string;
}

/** REDIS_SENTINELS: `host:port,host:port,…`, the Sentinels to ask which server is the primary now. */
const hostPorts: Setting<SentinelTarget["sentinels"] | undefined> = (name, raw) => {
  if (raw === undefined || raw.trim() === "") return undefined;
  return raw.split(",").map((part) => {
    const match = /^\s*\[?([^\]\s]+?)\]?:(\d{1,5})\s*$/.exec(part);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) {
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} is not valid: ${JSON.stringify(part)} is not host:port ` +
          `(expected a comma-separated list such as 10.0.0.1:26379,10.0.0.2:26379)`,
      );
    }
    return { host: match[1]!, port };
  });
};

/**
 * With REDIS_SENTINELS and REDIS_SENTINEL_NAME set, every Redis connection asks the Sentinels where
 * the primary is, and asks again when it fails over: no restart, no new REDIS_URL. The password is
 * REDIS_PASSWORD, or the one in REDIS_URL (whose host then goes unused).
 */
export const sentinelSettings = {
  REDIS_SENTINELS: hostPorts,
  REDIS_SENTINEL_NAME: text(""),
  REDIS_PASSWORD: text(""),
};

/** The Sentinel target the settings describe, or undefined for a plain REDIS_URL; a half-set pair exits. */
export function sentinelTargetOrExit(config: {
  REDIS_URL: string;
  REDIS_SENTINELS: SentinelTarget["sentinels"] | undefined;
  REDIS_SENTINEL_NAME: string;
  REDIS_PASSWORD: string;
}): SentinelTarget | undefined {
  const { REDIS_SENTINELS: sentinels, REDIS_SENTINEL_NAME: name } = config;
  if (!sentinels && !name) return undefined;
  if (!sentinels || !name) {
    console.error(
      "config error: REDIS_SENTINELS and REDIS_SENTINEL_NAME go together: the Sentinels, and the name of the primary they watch",
    );
    process.exit(1);
  }
  const password = config.REDIS_PASSWORD || decodeURIComponent(new URL(config.REDIS_URL).password);
  return { sentinels, name, ...(password ? { password } : {}) };
}

/** For the start-up line: the Sentinels, never the password. */
export const describeSentinel = ({ sentinels, name }: SentinelTarget) =>
  `sentinel "${name}" at ${sentinels.map((s) => `${s.host}:${s.port}`).join(",")}`;
