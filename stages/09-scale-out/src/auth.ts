import { jsonError } from "@zero-to-one/server-kit";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { IncomingMessage } from "node:http";
import { publicOrigin } from "./public-origin.js";
import type { SessionUser, Sessions } from "./sessions.js";

/** What the routes of this stage see: the Node request, and once signed in, who is asking. */
export interface AuthEnv {
  // under @hono/node-server, c.env.incoming is the Node request (absent when tested in-process)
  Bindings: { incoming?: IncomingMessage };
  Variables: { user: SessionUser; sessionId: string };
}

export const SESSION_COOKIE = "session";

/**
 * The session id a request carries: `Authorization: Bearer <id>` from an API client, else the
 * session cookie from a browser. An Authorization header of any other form counts as no session.
 */
export function sessionIdOf(c: Context): string | undefined {
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) return /^Bearer ([A-Za-z0-9_-]+)$/.exec(authorization)?.[1];
  return getCookie(c, SESSION_COOKIE);
}

/**
 * Every route behind this answers only a signed-in caller, and knows who: `c.get("user")`. Without a
 * session (none, malformed, expired or ended) the answer is a JSON 401.
 */
export function requireUser(sessions: Sessions) {
  return createMiddleware<AuthEnv>(async (c, next) => {
    const id = sessionIdOf(c);
    const user = id ? await sessions.find(id) : undefined;
    if (!id || !user) {
      return jsonError(
        c,
        401,
        id
          ? "the session has ended or is not valid: sign in again (POST /login, or POST /tokens for a bearer token)"
          : "sign in first: POST /login sets a session cookie, POST /tokens gives a bearer token",
        { "WWW-Authenticate": 'Bearer realm="todo"' },
      );
    }
    c.set("user", user);
    c.set("sessionId", id);
    await next();
  });
}

/**
 * Whether browsers reach us over HTTPS, so the session cookie can be Secure: the scheme of the origin
 * they use (public-origin.ts), the same one the CSRF guard compares. When the operator set
 * PUBLIC_ORIGIN, it decides: `https://…` means TLS ends in front of us (nginx, a load balancer),
 * whatever the hop here says; `http://…` means browsers come over plain HTTP, where they would
 * neither keep nor send back a Secure cookie (no one could stay signed in), so the operator's word
 * wins over a forwarded header, as it does for the CSRF guard.
 * Without it: TLS on this server, or a trusted proxy (nginx) that says so in X-Forwarded-Proto.
 */
export const cameOverHttps = (
  c: Context<AuthEnv>,
  trustedProxies: ReadonlySet<string>,
  configured?: string,
) => new URL(publicOrigin(c, trustedProxies, configured)).protocol === "https:";

/**
 * The cookie that carries a browser's session (OWASP Session Management Cheat Sheet): HttpOnly, so
 * no script reads it; SameSite=Lax, so no other site's form or fetch sends it along with a write;
 * Path=/ and a Max-Age as long as the session; Secure whenever the client came over HTTPS, so it
 * never travels in clear text again.
 */
export const cookieOptions = (secure: boolean, maxAge: number) =>
  ({ httpOnly: true, sameSite: "Lax", path: "/", secure, maxAge }) as const;

export function setSessionCookie(c: Context, id: string, options: { secure: boolean; maxAge: number }) {
  setCookie(c, SESSION_COOKIE, id, cookieOptions(options.secure, options.maxAge));
}

export function clearSessionCookie(c: Context, secure: boolean) {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(secure, 0));
}
