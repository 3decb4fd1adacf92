import { randomUUID } from "node:crypto";
import type { ApiClient } from "./client.js";

/**
 * Stage 08+: how a suite's client signs in, given a client that is not signed in yet; it returns
 * the headers every request of the suite then carries.
 */
export type SignIn = (api: ApiClient) => Promise<Record<string, string>>;

/** A password that every stage's rules accept. */
export const TEST_PASSWORD = "correct horse battery staple";

/**
 * Signs up (or, when the name is taken, only logs in) and returns a bearer token's header: an API
 * client of stage 08's accounts. A random username unless one is given, e.g. the account that
 * `npm run seed` fills.
 */
export function signUpAndIn({
  username,
  password = TEST_PASSWORD,
}: { username?: string; password?: string } = {}): SignIn {
  return async (api) => {
    const credentials = JSON.stringify({
      username: username ?? `user-${randomUUID().slice(0, 8)}`,
      password,
    });
    const json = { method: "POST", headers: { "content-type": "application/json" }, body: credentials };
    const signedUp = await api.request("/signup", json);
    if (signedUp.status !== 201 && signedUp.status !== 409) {
      throw new Error(`POST /signup answered ${signedUp.status}: ${await signedUp.text()}`);
    }
    const res = await api.request("/tokens", json);
    if (res.status !== 201) throw new Error(`POST /tokens answered ${res.status}: ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    return { authorization: `Bearer ${token}` };
  };
}

/** `api` with `headers` on every request (a request's own headers of the same name win). */
export const withHeaders = (api: ApiClient, headers: Record<string, string>): ApiClient => ({
  overSocket: api.overSocket,
  request: (path, init) => {
    const merged = new Headers(headers);
    new Headers(init?.headers).forEach((value, name) => merged.set(name, value));
    return api.request(path, { ...init, headers: merged });
  },
});
