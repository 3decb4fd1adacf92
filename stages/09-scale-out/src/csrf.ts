import { jsonError } from "@zero-to-one/server-kit";
import type { MiddlewareHandler } from "hono";
import { publicOrigin } from "./public-origin.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery: a page on another site makes the browser send a POST here, and the
 * browser attaches our session cookie. The browser also says where the request comes from, and
 * that is what this checks, for every request that could change something:
 *
 * - `Sec-Fetch-Site` (every current browser sends it): only `same-origin` (our own page) and `none`
 *   (typed, bookmarked) pass. `cross-site` is refused, and so is `same-site`: a sibling subdomain is
 *   another site for us, but not for the cookie's SameSite rule.
 * - without it (an older browser), `Origin`, when present, must be our own origin (public-origin.ts).
 * - with neither, the request comes from a program, not from a page: it passes.
 *
 * A request that authenticates with `Authorization: Bearer` carries no cookie the browser added by
 * itself: a page on another site cannot set that header without our CORS permission, which this
 * server never gives, so such requests are not checked. SameSite=Lax on the session cookie is the
 * second layer: a browser leaves the cookie off a cross-site POST even where this check were missing.
 */
export function crossSiteGuard({
  trustedProxies,
  origin,
}: {
  trustedProxies: ReadonlySet<string>;
  /** PUBLIC_ORIGIN when set; otherwise the origin each request names. */
  origin?: string;
}): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (/^Bearer\s/i.test(c.req.header("authorization") ?? "")) return next();
    const site = c.req.header("sec-fetch-site")?.trim().toLowerCase();
    if (site !== undefined) {
      if (site === "same-origin" || site === "none") return next();
      return refuse(c, `Sec-Fetch-Site: ${site}`);
    }
    const from = c.req.header("origin");
    if (from === undefined) return next();
    const ours = publicOrigin(c, trustedProxies, origin);
    if (sameOrigin(from, ours)) return next();
    return refuse(c, `Origin: ${from}, not ${ours}`);
  };
}

const sameOrigin = (header: string, ours: string) => {
  try {
    // "null" (a sandboxed page, a redirect across sites) is no URL and never ours
    return new URL(header).origin === ours;
  } catch {
    return false;
  }
};

const refuse = (c: Parameters<typeof jsonError>[0], why: string) =>
  jsonError(
    c,
    403,
    `cross-site request refused (${why}): a page on another site cannot change data here with your ` +
      `session; use this site's own page, or send Authorization: Bearer from a program`,
  );
