import { requestOnce, type Cluster } from "@zero-to-one/test-kit";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crossSiteGuard } from "../src/csrf.js";
import { publicOriginSetting } from "../src/public-origin.js";
import { noRedis, startCluster } from "./cluster.js";

const PROXY = "127.0.0.1";

/** A route that changes something, behind the guard, as a browser's cookie-carrying request reaches it. */
function guarded(origin?: string) {
  const app = new Hono();
  app.use(crossSiteGuard({ trustedProxies: new Set([PROXY]), origin }));
  app.on(["GET", "POST", "PUT", "DELETE"], "/todo", (c) => c.json({ changed: c.req.method !== "GET" }));
  return (
    method: string,
    headers: Record<string, string>,
    // under @hono/node-server the Node request is c.env.incoming: who connected
    peer?: string,
  ) =>
    app.request(
      "http://127.0.0.1:8000/todo",
      { method, headers: { cookie: "session=abc", ...headers } },
      peer ? { incoming: { socket: { remoteAddress: peer } } } : undefined,
    );
}

async function expectRefused(res: Response, why: RegExp) {
  expect(res.status).toBe(403);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(await res.json()).toEqual({
    error: { status: 403, message: expect.stringMatching(why) },
  });
}

describe("the cross-site request guard", () => {
  const send = guarded();

  it.each(["POST", "PUT", "DELETE"])(
    "refuses a cross-site %s carrying the session cookie with 403 JSON",
    async (method) => {
      await expectRefused(
        await send(method, { "sec-fetch-site": "cross-site" }),
        /^cross-site request refused \(Sec-Fetch-Site: cross-site\)/,
      );
    },
  );

  it("refuses same-site too: a sibling subdomain is another site here, though not to SameSite", async () => {
    await expectRefused(await send("POST", { "sec-fetch-site": "same-site" }), /Sec-Fetch-Site: same-site/);
  });

  it("lets our own page (same-origin) and the user's own navigation (none) through", async () => {
    expect((await send("POST", { "sec-fetch-site": "same-origin" })).status).toBe(200);
    expect((await send("POST", { "sec-fetch-site": "none" })).status).toBe(200);
  });

  it("never blocks a safe method: a cross-site GET changes nothing", async () => {
    expect(
      (await send("GET", { "sec-fetch-site": "cross-site", origin: "https://evil.example" })).status,
    ).toBe(200);
  });

  describe("a browser without Sec-Fetch-Site: the Origin header decides", () => {
    it("refuses another site's origin", async () => {
      await expectRefused(
        await send("POST", { origin: "https://evil.example" }),
        /Origin: https:\/\/evil\.example, not http:\/\/127\.0\.0\.1:8000/,
      );
    });

    it("refuses Origin: null (a sandboxed frame, a redirect across sites) and a malformed one", async () => {
      await expectRefused(await send("POST", { origin: "null" }), /Origin: null/);
      await expectRefused(await send("POST", { origin: "not a url" }), /Origin: not a url/);
    });

    it("refuses our host on another scheme or port: an origin is all three", async () => {
      await expectRefused(await send("POST", { origin: "https://127.0.0.1:8000" }), /Origin/);
      await expectRefused(await send("POST", { origin: "http://127.0.0.1:9000" }), /Origin/);
    });

    it("lets our own origin through", async () => {
      expect((await send("POST", { origin: "http://127.0.0.1:8000" })).status).toBe(200);
    });
  });

  it("lets a program through: no Sec-Fetch-Site and no Origin (curl, a script) is no page on another site", async () => {
    expect((await send("POST", {})).status).toBe(200);
  });

  it("does not check requests that authenticate with Authorization: Bearer, which no other site can add", async () => {
    const bearer = { authorization: "Bearer some-token" };
    expect((await send("POST", { ...bearer, "sec-fetch-site": "cross-site" })).status).toBe(200);
    expect((await send("DELETE", { ...bearer, origin: "https://evil.example" })).status).toBe(200);
    // any other scheme is no exemption
    await expectRefused(
      await send("POST", { authorization: "Basic dTpw", "sec-fetch-site": "cross-site" }),
      /cross-site/,
    );
  });

  describe("behind a proxy", () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "todo.example:8443" };

    it("takes our origin from a trusted proxy's X-Forwarded-Proto and X-Forwarded-Host", async () => {
      const page = { origin: "https://todo.example:8443", ...forwarded };
      expect((await send("POST", page, PROXY)).status).toBe(200);
      await expectRefused(
        await send("POST", { origin: "http://127.0.0.1:8000", ...forwarded }, PROXY),
        /Origin/,
      );
    });

    it("ignores those headers from anyone else, who could name any origin in them", async () => {
      await expectRefused(
        await send("POST", { origin: "https://todo.example:8443", ...forwarded }, "10.9.9.9"),
        /not http:\/\/127\.0\.0\.1:8000/,
      );
    });
  });

  it("with PUBLIC_ORIGIN set, that origin alone is ours, whatever the request names", async () => {
    const origin = publicOriginSetting("PUBLIC_ORIGIN", "https://todo.example.com/");
    expect(origin).toBe("https://todo.example.com");
    const send = guarded(origin);
    expect((await send("POST", { origin: "https://todo.example.com" })).status).toBe(200);
    await expectRefused(
      await send("POST", { origin: "http://127.0.0.1:8000" }),
      /not https:\/\/todo\.example\.com/,
    );
  });

  it("PUBLIC_ORIGIN must be an http(s) URL", () => {
    expect(() => publicOriginSetting("PUBLIC_ORIGIN", "todo.example.com")).toThrow(
      /^PUBLIC_ORIGIN="todo.example.com" is not a URL/,
    );
    expect(() => publicOriginSetting("PUBLIC_ORIGIN", "ftp://todo.example.com")).toThrow(
      /must start with http: or https:/,
    );
    expect(publicOriginSetting("PUBLIC_ORIGIN", "")).toBeUndefined();
  });
});

if (noRedis) console.log(`skipped: ${noRedis}`);

describe.skipIf(Boolean(noRedis))("the guard in the running app, in front of the sessions", () => {
  let cluster: Cluster;
  let cookie: string;
  let bearer: string;
  let todo: string;
  const credentials = JSON.stringify({ username: "csrf-user", password: "a passphrase long enough" });
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    requestOnce(`${cluster.url}${path}`, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body,
    });
  const crossSite = { "sec-fetch-site": "cross-site" };

  beforeAll(async () => {
    cluster = await startCluster({ WORKERS: "1" });
    const signup = await send("POST", "/signup", {}, credentials);
    expect(signup.status).toBe(201);
    const setCookie = [signup.headers["set-cookie"] ?? []].flat().join("\n");
    // the second layer: a browser leaves a SameSite=Lax cookie off another site's POST by itself
    expect(setCookie).toMatch(/; SameSite=Lax/);
    cookie = /session=[^;]+/.exec(setCookie)![0];
    bearer = (JSON.parse((await send("POST", "/tokens", {}, credentials)).body) as { token: string }).token;
    todo = (
      JSON.parse((await send("POST", "/todo", { cookie }, '{"content":"keep me"}')).body) as { id: string }
    ).id;
  });
  afterAll(async () => {
    if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
  });

  it("refuses another site's writes with the session cookie, and none of them happens", async () => {
    const forged = await send("POST", "/todo", { cookie, ...crossSite }, '{"content":"forged"}');
    expect(forged.status).toBe(403);
    expect(forged.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(forged.body)).toEqual({
      error: {
        status: 403,
        message: expect.stringMatching(/^cross-site request refused \(Sec-Fetch-Site: cross-site\)/),
      },
    });
    expect((await send("PUT", `/todo/${todo}/finish`, { cookie, ...crossSite })).status).toBe(403);
    expect((await send("DELETE", `/todo/${todo}`, { cookie, origin: "https://evil.example" })).status).toBe(
      403,
    );
    expect((await send("POST", "/logout", { cookie, ...crossSite })).status).toBe(403);
    const left = JSON.parse((await send("GET", "/todo", { cookie })).body) as {
      data: { id: string; content: string; is_finished: boolean }[];
    };
    expect(left.data).toEqual([
      expect.objectContaining({ id: todo, content: "keep me", is_finished: false }),
    ]);
  });

  it("refuses a cross-site login too: another site cannot sign the browser in to an account of its choosing", async () => {
    expect((await send("POST", "/login", crossSite, credentials)).status).toBe(403);
  });

  it("lets the same writes through from our own page, and from a program with a bearer token", async () => {
    const ownPage = { "sec-fetch-site": "same-origin", origin: cluster.url };
    expect((await send("PUT", `/todo/${todo}/finish`, { cookie, ...ownPage })).status).toBe(200);
    const withToken = await send(
      "POST",
      "/todo",
      { authorization: `Bearer ${bearer}`, ...crossSite },
      '{"content":"by token"}',
    );
    expect(withToken.status).toBe(201);
  });
});
