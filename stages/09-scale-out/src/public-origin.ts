import { optionalUrl, type Setting } from "@zero-to-one/server-kit";
import type { Context } from "hono";
import type { IncomingMessage } from "node:http";

/**
 * PUBLIC_ORIGIN: where browsers reach this service, e.g. https://todo.example.com. Empty: the origin
 * each request names (below), which is right for one host and for nginx on this machine.
 */
export const publicOriginSetting: Setting<string | undefined> = (name, raw) => {
  const url = optionalUrl(["http:", "https:"])(name, raw);
  return url === undefined ? undefined : new URL(url).origin;
};

/**
 * The origin a browser used to reach us, e.g. `https://127.0.0.1:8443`. Behind nginx the request
 * arrives over plain HTTP on another port, so the proxy says what the browser asked for in
 * X-Forwarded-Proto and X-Forwarded-Host; like X-Forwarded-For (client-address.ts) they are
 * believed only from a trusted proxy, since anyone else can write them.
 */
export function publicOrigin(c: Context, trustedProxies: ReadonlySet<string>, configured?: string): string {
  if (configured !== undefined) return configured;
  const url = new URL(c.req.url);
  // under @hono/node-server, c.env.incoming is the Node request (absent when tested in-process)
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const peer = incoming?.socket.remoteAddress?.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (peer === undefined || !trustedProxies.has(peer)) return url.origin;
  const proto = c.req.header("x-forwarded-proto")?.trim().toLowerCase();
  const host = c.req.header("x-forwarded-host")?.split(",").at(-1)?.trim();
  try {
    return new URL(
      `${proto === "https" || proto === "http" ? proto : url.protocol.slice(0, -1)}://${host || url.host}`,
    ).origin;
  } catch {
    return url.origin; // a Host the URL parser refuses names no origin a browser could have used
  }
}
