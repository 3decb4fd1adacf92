import { jsonError } from "@zero-to-one/server-kit";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { readCredentials, textField, type Accounts } from "./accounts.js";
import { cameOverHttps, clearSessionCookie, setSessionCookie, type AuthEnv } from "./auth.js";
import { readBody } from "./input.js";
import type { Sessions } from "./sessions.js";
import type { User } from "./store.js";

export interface AccountDeps {
  accounts: Accounts;
  sessions: Sessions;
  /** requireUser(sessions): the routes that need a signed-in caller. */
  signedIn: MiddlewareHandler<AuthEnv>;
  /** Addresses whose X-Forwarded-Proto is believed (nginx in front), for the cookie's Secure flag. */
  trustedProxies: ReadonlySet<string>;
  /** PUBLIC_ORIGIN when set: its scheme, not the request's, decides the cookie's Secure flag. */
  origin?: string;
  /** How often an address may sign up, and an address or a username try to log in (rate-limit.ts). */
  attempts?: { signup: MiddlewareHandler; login: MiddlewareHandler };
}

const MAX_BODY_BYTES = 4 * 1024;

/** The same answer for an unknown username and a wrong password: which one was wrong is not said. */
const wrongCredentials = (c: Context) => jsonError(c, 401, "wrong username or password");

/**
 * Accounts and sessions: sign up, log in (a cookie for browsers, a bearer token for API clients),
 * log out, who am I, and a password change that ends every session of the account.
 */
export function accountRoutes({
  accounts,
  sessions,
  signedIn,
  trustedProxies,
  origin,
  attempts = { signup: (_c, next) => next(), login: (_c, next) => next() },
}: AccountDeps) {
  const routes = new Hono<AuthEnv>();
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => jsonError(c, 413, `the body is larger than ${MAX_BODY_BYTES / 1024} KiB`),
  });
  const secure = (c: Context<AuthEnv>) => cameOverHttps(c, trustedProxies, origin);

  /** A new session id for the account, every time: never one the client brought (session fixation). */
  const startSession = async (c: Context<AuthEnv>, user: User) => {
    const id = await sessions.create({ id: user.id, username: user.username });
    setSessionCookie(c, id, { secure: secure(c), maxAge: sessions.ttlSeconds });
  };

  routes.post("/signup", limit, attempts.signup, async (c) => {
    const credentials = await readCredentials(c);
    const user = await accounts.signUp(credentials);
    if (!user)
      return jsonError(c, 409, `the username "${credentials.username}" is taken: choose another one`);
    await startSession(c, user);
    return c.json(user, 201, { Location: "/me" });
  });

  routes.post("/login", limit, attempts.login, async (c) => {
    const user = await accounts.logIn(await readCredentials(c));
    if (!user) return wrongCredentials(c);
    await startSession(c, user);
    return c.json(user);
  });

  // API clients log in here: the session id comes back as a token for `Authorization: Bearer`, and
  // no cookie is set. (The cookie's value never appears in a body a script could read.)
  routes.post("/tokens", limit, attempts.login, async (c) => {
    const user = await accounts.logIn(await readCredentials(c));
    if (!user) return wrongCredentials(c);
    const token = await sessions.create({ id: user.id, username: user.username });
    return c.json({ token, token_type: "Bearer", expires_in: sessions.ttlSeconds, user }, 201);
  });

  routes.post("/logout", signedIn, async (c) => {
    await sessions.end(c.get("sessionId"), c.get("user").id);
    clearSessionCookie(c, secure(c));
    return c.body(null, 204);
  });

  routes.get("/me", signedIn, async (c) => {
    const user = await accounts.get(c.get("user").id);
    return user ? c.json(user) : jsonError(c, 401, "this account no longer exists");
  });

  routes.put("/me/password", signedIn, limit, async (c) => {
    const body = await readBody(c, {
      what: "the current and the new password",
      example: '{"password": "…", "new_password": "…"}',
    });
    const changed = await accounts.changePassword(
      c.get("user"),
      textField(body, "password"),
      textField(body, "new_password"),
    );
    if (changed === "wrong") return jsonError(c, 403, 'the field "password" is not the current password');
    // whoever knew the old password may hold a session: every session of the account ends, this one too
    await sessions.endAll(c.get("user").id);
    clearSessionCookie(c, secure(c));
    return c.body(null, 204);
  });

  return routes;
}
