import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { crossSiteGuard } from "../src/csrf.js";
import { publicOriginSetting } from "../src/public-origin.js";

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
