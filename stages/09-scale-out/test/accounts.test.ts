import { expectError } from "@zero-to-one/contract";
import { requestOnce } from "@zero-to-one/test-kit";
import type { IncomingMessage } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/accounts.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { redisUrl, startCluster, withRedis } from "./cluster.js";
import { sessions } from "./signed-in.js";
import { anyone, anyoneAt } from "./workers.js";

const PASSWORD = "correct horse battery staple";
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});
const put = (body: unknown, headers: Record<string, string>) => ({ ...json(body, headers), method: "PUT" });

/** The session cookie a response sets, as `name=value` for a Cookie header, and its attributes. */
function sessionCookie(res: Response) {
  const line = res.headers.getSetCookie().find((cookie) => cookie.startsWith("session="));
  if (!line) throw new Error(`no session cookie in ${JSON.stringify([...res.headers])}`);
  const [pair, ...attributes] = line.split(/;\s*/);
  return { cookie: pair!, value: pair!.slice("session=".length), attributes };
}

describe("password hashes", () => {
  it("are scrypt in the PHC string format, with a fresh salt every time", async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD), hashPassword(PASSWORD)]);
    expect(a).toMatch(/^\$scrypt\$ln=14,r=8,p=5\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(b).not.toBe(a);
    expect(a).not.toContain(PASSWORD);
  });

  it("match the password only, and never match without a hash (no account, or no password)", async () => {
    const hash = await hashPassword(PASSWORD);
    expect(await verifyPassword(hash, PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, `${PASSWORD} `)).toBe(false);
    expect(await verifyPassword(hash, "")).toBe(false);
    expect(await verifyPassword(undefined, PASSWORD)).toBe(false);
    expect(await verifyPassword(null, PASSWORD)).toBe(false);
    expect(await verifyPassword("$scrypt$garbage", PASSWORD)).toBe(false);
  });

  it("read the same password typed in another Unicode form as the same (NFKC)", async () => {
    const hash = await hashPassword("ｃｏｒｒｅｃｔ ｈｏｒｓｅ ｂａｔｔｅｒｙ"); // fullwidth letters
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
  });

  it("made with another cost still match, so the cost can be raised without locking anyone out", async () => {
    const cheaper = await hashPassword(PASSWORD, { ln: 10, r: 8, p: 1 });
    expect(cheaper).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$/);
    expect(await verifyPassword(cheaper, PASSWORD)).toBe(true);
  });
});

await withRedis("09-scale-out: accounts and sessions", () => {
  describe("accounts and sessions, in-process (real Redis for the sessions)", () => {
    const store = createSqliteStore(":memory:");
    let app: Awaited<ReturnType<typeof anyone.cachedApp>>;
    beforeAll(async () => {
      app = await anyone.cachedApp(store, redisUrl);
    });
    afterAll(async () => {
      await anyone.closeCachedApps();
      await store.close();
    });

    let n = 0;
    const fresh = () => `user-${process.pid}-${++n}`;
    const signUp = async (username = fresh(), password = PASSWORD) => {
      const res = await app.request("/signup", json({ username, password }));
      expect(res.status, await res.clone().text()).toBe(201);
      return { username, res, ...sessionCookie(res) };
    };
    const token = async (username: string, password = PASSWORD) => {
      const res = await app.request("/tokens", json({ username, password }));
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { token: string }).token;
    };
    const bearer = (value: string) => ({ authorization: `Bearer ${value}` });
    const me = (headers: Record<string, string>) => app.request("/me", { headers });

    describe("signing up", () => {
      it("answers 201 with the account (no password, no hash), its Location, and a session", async () => {
        const before = Date.now() / 1000;
        const { res, cookie } = await signUp("Alice-Example");
        const body = (await res.json()) as Record<string, unknown>;
        expect(body).toEqual({
          id: expect.any(String),
          username: "alice-example",
          created_at: expect.any(Number),
        });
        expect(body["created_at"]).toBeGreaterThanOrEqual(Math.floor(before) - 1);
        expect(res.headers.get("location")).toBe("/me");
        expect(await (await me({ cookie })).json()).toEqual(body);
      });

      it("accepts a form, like the todos", async () => {
        const username = fresh();
        const res = await app.request("/signup", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ username, password: PASSWORD }).toString(),
        });
        expect(res.status).toBe(201);
      });

      it.each([
        ["too short", "ab"],
        ["too long", "a".repeat(33)],
        ["starting with a dash", "-alice"],
        ["with a space", "alice smith"],
        ["with an @", "alice@example.com"],
        ["with a letter outside a-z", "ålice"],
        ["empty", ""],
      ])("refuses a username %s with 400, and makes no account", async (_name, username) => {
        await expectError(
          await app.request("/signup", json({ username, password: PASSWORD })),
          400,
          /username/,
        );
        expect(await store.findAccount(username.toLowerCase())).toBeUndefined();
      });

      it.each([
        ["a missing username", { password: PASSWORD }, /"username" is missing/],
        ["a number as username", { username: 42, password: PASSWORD }, /"username" must be a single string/],
        ["an operator object as username", { username: { $ne: null }, password: PASSWORD }, /single string/],
        ["a missing password", { username: "bob-example" }, /"password" is missing/],
      ])("refuses %s with 400", async (_name, body, message) => {
        await expectError(await app.request("/signup", json(body)), 400, message);
      });

      it("wants a password of 12 to 128 characters, counted as characters, and no other rule", async () => {
        await expectError(
          await app.request("/signup", json({ username: fresh(), password: "a".repeat(11) })),
          400,
          /11 characters; use 12 to 128/,
        );
        await expectError(
          await app.request("/signup", json({ username: fresh(), password: "a".repeat(129) })),
          400,
          /129 characters/,
        );
        await signUp(fresh(), "a".repeat(12));
        await signUp(fresh(), "🔑".repeat(12)); // 24 UTF-16 units, 12 characters
        await signUp(fresh(), "x".repeat(128));
      });

      it("answers 409 for a username that is taken, whatever its letter case", async () => {
        const { username } = await signUp();
        await expectError(await app.request("/signup", json({ username, password: PASSWORD })), 409, /taken/);
        await expectError(
          await app.request("/signup", json({ username: username.toUpperCase(), password: `${PASSWORD}!` })),
          409,
          /taken/,
        );
      });

      it("refuses other media types (415), malformed JSON (400) and bodies over 4 KiB (413)", async () => {
        await expectError(
          await app.request("/signup", {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body: "x",
          }),
          415,
          /username and password/,
        );
        await expectError(
          await app.request("/signup", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: "{",
          }),
          400,
          /JSON/,
        );
        await expectError(
          await app.request("/signup", json({ username: fresh(), password: "p".repeat(5000) })),
          413,
        );
      });

      it("keeps only a salted hash in the database: two accounts with one password share no hash", async () => {
        const a = await signUp(fresh(), PASSWORD);
        const b = await signUp(fresh(), PASSWORD);
        const [first, second] = await Promise.all([
          store.findAccount(a.username),
          store.findAccount(b.username),
        ]);
        expect(first!.password_hash).toMatch(/^\$scrypt\$/);
        expect(first!.password_hash).not.toBe(second!.password_hash);
        expect(first!.password_hash).not.toContain(PASSWORD);
      });
    });

    describe("logging in", () => {
      it("answers 200 with the account and a new session each time, whatever the letter case of the name", async () => {
        const { username, value: fromSignUp } = await signUp();
        const res = await app.request(
          "/login",
          json({ username: username.toUpperCase(), password: PASSWORD }),
        );
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ username });
        const { value, cookie } = sessionCookie(res);
        expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(value).not.toBe(fromSignUp);
        expect((await me({ cookie })).status).toBe(200);
      });

      it("gives a wrong password, an unknown username and a malformed one the very same 401", async () => {
        const { username } = await signUp();
        const answers = await Promise.all(
          [
            { username, password: `${PASSWORD}?` },
            { username: `${username}-nobody`, password: PASSWORD },
            { username: "x", password: PASSWORD },
          ].map(async (credentials) => {
            const res = await app.request("/login", json(credentials));
            return { status: res.status, body: await res.text(), cookie: res.headers.get("set-cookie") };
          }),
        );
        expect(answers[0]).toEqual({
          status: 401,
          body: JSON.stringify({ error: { status: 401, message: "wrong username or password" } }),
          cookie: null,
        });
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[2]).toEqual(answers[0]);
        const tokens = await app.request("/tokens", json({ username, password: "wrong wrong wrong" }));
        expect(await tokens.text()).toBe(answers[0]!.body);
      });

      it("never reuses a session id the client brought (session fixation)", async () => {
        const { username } = await signUp();
        const planted = "A".repeat(43);
        const res = await app.request(
          "/login",
          json({ username, password: PASSWORD }, { cookie: `session=${planted}` }),
        );
        expect(sessionCookie(res).value).not.toBe(planted);
        expect((await me({ cookie: `session=${planted}` })).status).toBe(401);
      });

      it("POST /tokens gives an API client a bearer token and sets no cookie", async () => {
        const { username } = await signUp();
        const res = await app.request("/tokens", json({ username, password: PASSWORD }));
        expect(res.status).toBe(201);
        expect(res.headers.get("set-cookie")).toBeNull();
        const body = (await res.json()) as {
          token: string;
          token_type: string;
          expires_in: number;
          user: object;
        };
        expect(body).toEqual({
          token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
          token_type: "Bearer",
          expires_in: sessions.ttlSeconds,
          user: expect.objectContaining({ username }),
        });
        expect((await me(bearer(body.token))).status).toBe(200);
        expect((await app.request("/todo", { headers: bearer(body.token) })).status).toBe(200);
      });
    });

    describe("the session cookie", () => {
      it("is HttpOnly, SameSite=Lax, Path=/, lives as long as the session, and is not Secure over plain HTTP", async () => {
        const { attributes } = await signUp();
        expect(attributes.sort()).toEqual([
          "HttpOnly",
          `Max-Age=${sessions.ttlSeconds}`,
          "Path=/",
          "SameSite=Lax",
        ]);
      });

      it("is Secure when the request came over HTTPS: TLS here, or a trusted proxy's X-Forwarded-Proto", async () => {
        const body = json({ username: fresh(), password: PASSWORD });
        const overTls = await app.request("https://todo.example/signup", body);
        expect(sessionCookie(overTls).attributes).toContain("Secure");

        const { username } = await signUp();
        const viaProxy = (peer: string, proto: string) =>
          app.request("/login", json({ username, password: PASSWORD }, { "x-forwarded-proto": proto }), {
            incoming: { socket: { remoteAddress: peer } } as IncomingMessage,
          });
        expect(sessionCookie(await viaProxy("127.0.0.1", "https")).attributes).toContain("Secure");
        expect(sessionCookie(await viaProxy("::ffff:127.0.0.1", "https")).attributes).toContain("Secure");
        // from anyone but the proxy, the header proves nothing; nor does "http" from the proxy
        expect(sessionCookie(await viaProxy("10.9.9.9", "https")).attributes).not.toContain("Secure");
        expect(sessionCookie(await viaProxy("127.0.0.1", "http")).attributes).not.toContain("Secure");
      });

      it("follows PUBLIC_ORIGIN's scheme when it is set, whatever the hop in front of the app says", async () => {
        const { username } = await signUp();
        const logIn = async (origin: string, url: string, peer: string, proto?: string) => {
          const workers = anyoneAt(origin);
          try {
            const app = await workers.cachedApp(store, redisUrl);
            const headers: Record<string, string> = proto === undefined ? {} : { "x-forwarded-proto": proto };
            const res = await app.request(url, json({ username, password: PASSWORD }, headers), {
              incoming: { socket: { remoteAddress: peer } } as IncomingMessage,
            });
            return sessionCookie(res).attributes;
          } finally {
            await workers.closeCachedApps();
          }
        };
        // browsers use https://, e.g. TLS ends at a load balancer that sends no X-Forwarded-Proto
        const https = "https://todo.example.com";
        expect(await logIn(https, "/login", "10.9.9.9")).toContain("Secure");
        expect(await logIn(https, "/login", "127.0.0.1", "http")).toContain("Secure");
        // the operator said plain HTTP: a Secure cookie would never come back from those browsers
        const http = "http://todo.example.com";
        expect(await logIn(http, "/login", "127.0.0.1", "https")).not.toContain("Secure");
        expect(await logIn(http, "https://todo.example.com/login", "10.9.9.9")).not.toContain("Secure");
      });
    });

    describe("without a session", () => {
      const routes: [string, string][] = [
        ["GET", "/todo"],
        ["GET", "/todo?start=10"],
        ["POST", "/todo"],
        ["GET", "/todo/5f9b3c1e2a4d8e0012345678"],
        ["PUT", "/todo/5f9b3c1e2a4d8e0012345678/finish"],
        ["DELETE", "/todo/5f9b3c1e2a4d8e0012345678"],
        ["POST", "/todo/export"],
        ["POST", "/todo/export?inline=1"],
        ["GET", "/jobs/export-anything"],
        ["GET", "/jobs/export-anything/result"],
        ["GET", "/me"],
        ["PUT", "/me/password"],
        ["POST", "/logout"],
      ];

      it.each(routes)("%s %s answers a JSON 401 that says how to sign in", async (method, path) => {
        const res = await app.request(path, {
          method,
          headers: { "content-type": "application/json" },
          body: method === "GET" ? undefined : JSON.stringify({ content: "x" }),
        });
        await expectError(res, 401, /sign in/);
        expect(res.headers.get("www-authenticate")).toBe('Bearer realm="todo"');
      });

      it.each([
        ["an unknown session cookie", { cookie: `session=${"B".repeat(43)}` }],
        ["a malformed session cookie", { cookie: "session=../../etc/passwd" }],
        ["an unknown bearer token", { authorization: `Bearer ${"C".repeat(43)}` }],
        ["another kind of Authorization", { authorization: "Basic YWxpY2U6c2VjcmV0" }],
        ["a bearer token with odd characters", { authorization: "Bearer a.b.c" }],
      ])("answers 401 for %s", async (_name, headers) => {
        await expectError(await app.request("/todo", { headers }), 401);
      });

      it("keeps /index and /healthz public", async () => {
        expect((await app.request("/index")).status).toBe(200);
        const health = await app.request("/healthz");
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: "ok", checks: { sessions: "ok" } });
      });
    });

    describe("ending sessions", () => {
      it("logout ends that session only: its cookie answers 401 afterwards, other sessions go on", async () => {
        const { username, cookie } = await signUp();
        const other = await token(username);
        const res = await app.request("/logout", { method: "POST", headers: { cookie } });
        expect(res.status).toBe(204);
        expect(sessionCookie(res).attributes).toEqual(
          expect.arrayContaining(["Max-Age=0", "Path=/", "HttpOnly"]),
        );
        await expectError(await app.request("/todo", { headers: { cookie } }), 401, /ended or is not valid/);
        await expectError(await me({ cookie }), 401);
        expect((await me(bearer(other))).status).toBe(200);
      });

      it("logout with a bearer token ends the token", async () => {
        const { username } = await signUp();
        const value = await token(username);
        expect((await app.request("/logout", { method: "POST", headers: bearer(value) })).status).toBe(204);
        await expectError(await me(bearer(value)), 401);
      });

      it("a password change ends every session of the account; the old password stops working", async () => {
        const { username, cookie } = await signUp();
        const [first, second] = [await token(username), await token(username)];
        await expectError(
          await app.request(
            "/me/password",
            put({ password: "not the password", new_password: `new ${PASSWORD}` }, bearer(first)),
          ),
          403,
          /not the current password/,
        );
        await expectError(
          await app.request(
            "/me/password",
            put({ password: PASSWORD, new_password: "short" }, bearer(first)),
          ),
          400,
          /new_password/,
        );
        expect((await me(bearer(first))).status).toBe(200); // refused changes end nothing
        const changed = await app.request(
          "/me/password",
          put({ password: PASSWORD, new_password: `new ${PASSWORD}` }, bearer(first)),
        );
        expect(changed.status).toBe(204);
        for (const headers of [{ cookie }, bearer(first), bearer(second)])
          await expectError(await me(headers), 401);
        await expectError(await app.request("/login", json({ username, password: PASSWORD })), 401);
        expect((await app.request("/login", json({ username, password: `new ${PASSWORD}` }))).status).toBe(
          200,
        );
      });
    });
  });

  describe("PUBLIC_ORIGIN in the running server", { timeout: 60_000 }, () => {
    it("makes the session cookie Secure when browsers use https://, though the request came over plain HTTP", async () => {
      const cluster = await startCluster({ WORKERS: "1", PUBLIC_ORIGIN: "https://todo.example.com" });
      try {
        const signup = await requestOnce(`${cluster.url}/signup`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ username: `origin-${process.pid}`, password: PASSWORD }),
        });
        expect(signup.status, signup.body).toBe(201);
        expect([signup.headers["set-cookie"] ?? []].flat().join("\n")).toMatch(/^session=[^;]+;.*; Secure/m);
      } finally {
        expect(await cluster.stop()).toBe(0);
      }
    });
  });
});
