import { ConfigError, type Setting } from "@zero-to-one/server-kit";
import { isIP } from "node:net";

/**
 * Who sent a request. Behind nginx every connection comes from the proxy, which appends the address
 * it saw to X-Forwarded-For. That header is believed only when the connection itself comes from a
 * trusted proxy, and then only its last entry (the one the proxy wrote): anything before it, or the
 * whole header from anyone else, was written by the client and proves nothing.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trustedProxies: ReadonlySet<string>,
): string | undefined {
  const direct = peer?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (direct === undefined || forwardedFor === undefined || !trustedProxies.has(direct)) return direct;
  const lastHop = forwardedFor.split(",").at(-1)?.trim() ?? "";
  return isIP(lastHop) ? lastHop : direct;
}

/** TRUSTED_PROXY: a comma-separated list of proxy addresses; `none` trusts no one. */
export const addressList =
  (fallback: string): Setting<ReadonlySet<string>> =>
  (name, raw) => {
    const value = raw === undefined || raw.trim() === "" ? fallback : raw;
    if (value.trim() === "none") return new Set();
    const addresses = value.split(",").map((part) => part.trim());
    const bad = addresses.find((address) => isIP(address) === 0);
    if (bad !== undefined) {
      throw new ConfigError(
        `${name}=${JSON.stringify(raw)} is not valid: ${JSON.stringify(bad)} is not an IP address ` +
          `(expected a comma-separated list such as 127.0.0.1,10.0.0.5, or none)`,
      );
    }
    return new Set(addresses);
  };
