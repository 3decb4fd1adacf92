import {
  freePort,
  nginxProblem,
  requestOnce,
  startNginx,
  type Cluster,
  type Reply,
} from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stageDir, startCluster } from "./cluster.js";

const opensslProblem = () =>
  spawnSync("openssl", ["version"]).error ? "openssl is not installed (apt-get install openssl)" : undefined;

const problem = nginxProblem() ?? opensslProblem();
if (problem) console.log(`skipped: ${problem}`);

/**
 * The stage's own nginx.conf on free ports, with the certificate from `dir`: its ports 8888, 8443
 * and 8000 become `http`, `https` and `app`, and nothing else changes.
 */
function configOn(ports: { http: number; https: number; app: number }, dir: string) {
  const original = readFileSync(join(stageDir, "nginx.conf"), "utf8");
  const config = original
    .replace("listen 127.0.0.1:8888;", `listen 127.0.0.1:${ports.http};`)
    .replace("listen 127.0.0.1:8443 ssl;", `listen 127.0.0.1:${ports.https} ssl;`)
    .replace("https://$host:8443$request_uri", `https://$host:${ports.https}$request_uri`)
    .replace("server 127.0.0.1:8000;", `server 127.0.0.1:${ports.app};`)
    .replace(/^(\s*ssl_certificate(?:_key)?\s+)\.data\/tls\//gm, `$1${dir}/`);
  expect(config.match(new RegExp(`${ports.http}|${ports.https}|${ports.app}|${dir}/`, "g"))).toHaveLength(6);
  return config;
}

const setCookie = (reply: Reply) => [reply.headers["set-cookie"] ?? []].flat().join("\n");
const cookiePair = (reply: Reply) => /session=[^;]+/.exec(setCookie(reply))?.[0];
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

describe.skipIf(problem)("08-secure behind nginx over HTTPS", () => {
  let cluster: Cluster;
  let nginx: Awaited<ReturnType<typeof startNginx>>["nginx"];
  let ca: string;
  let http: string;
  let https: string;
  /** One request over TLS, trusting the test's self-signed certificate. */
  const tls = (path: string, options: Parameters<typeof requestOnce>[1] = {}) =>
    requestOnce(`${https}${path}`, { ca, ...options });

  beforeAll(async () => {
    // the certificate a learner makes with `npm run cert`, by the same script, in a folder of its own
    const dir = mkdtempSync(join(tmpdir(), "zto-tls-"));
    const made = spawnSync("sh", ["scripts/make-cert.sh", dir], { cwd: stageDir, encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    ca = readFileSync(join(dir, "cert.pem"), "utf8");

    const ports = { http: await freePort(), https: await freePort(), app: await freePort() };
    http = `http://127.0.0.1:${ports.http}`;
    https = `https://127.0.0.1:${ports.https}`;
    // the app's own sign-in limit out of the way: what is tested here is nginx's in front of it
    cluster = await startCluster({ PORT: String(ports.app), WORKERS: "2", RATE_LIMIT_LOGIN: "1000/100" });
    // startNginx waits for an answer on `port`: plain HTTP to the TLS port gets nginx's 400, which counts
    const started = await startNginx({ config: configOn(ports, dir), port: ports.https });
    nginx = started.nginx!;
  });
  afterAll(async () => {
    if (cluster && cluster.child.exitCode === null) await cluster.stop();
    await nginx?.stop();
  });

  it("redirects plain HTTP to the same path over HTTPS (301)", async () => {
    const reply = await requestOnce(`${http}/todo?limit=5`);
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe(`${https}/todo?limit=5`);
  });

  it("serves the API over TLS to a client that trusts the certificate, and to no other", async () => {
    expect(JSON.parse((await tls("/index")).body)).toEqual({ msg: "hello world" });
    // a client that was not told to trust the self-signed certificate refuses the connection
    await expect(requestOnce(`${https}/index`)).rejects.toThrow(/self-signed|self signed/);
  });

  it("sends HSTS with includeSubDomains on HTTPS answers", async () => {
    const reply = await tls("/index");
    expect(reply.headers["strict-transport-security"]).toMatch(/^max-age=\d+; includeSubDomains$/);
  });

  describe("signed in through nginx", () => {
    let cookie: string;
    const page = () => ({ origin: https, "sec-fetch-site": "same-origin" });

    beforeAll(async () => {
      const signup = await tls("/signup", {
        method: "POST",
        ...json({ username: "tls-user", password: "correct horse battery staple" }),
      });
      expect(signup.status).toBe(201);
      cookie = cookiePair(signup)!;
      expect(cookie).toBeDefined();
    });

    it("marks the session cookie Secure, HttpOnly and SameSite=Lax: nginx said the client came over HTTPS", async () => {
      const login = await tls("/login", {
        method: "POST",
        ...json({ username: "tls-user", password: "correct horse battery staple" }),
      });
      expect(login.status).toBe(200);
      const attributes = setCookie(login)
        .split(/;\s*/)
        .map((part) => part.toLowerCase());
      expect(attributes).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax"]));
    });

    it("adds and lists todos over TLS", async () => {
      const added = await tls("/todo", {
        method: "POST",
        headers: { cookie, "content-type": "application/json", ...page() },
        body: JSON.stringify({ content: "over TLS" }),
      });
      expect(added.status).toBe(201);
      const list = JSON.parse((await tls("/todo", { headers: { cookie } })).body) as {
        data: { content: string }[];
      };
      expect(list.data.map((todo) => todo.content)).toContain("over TLS");
    });

    it("compares a write's Origin with the origin the browser used, https and port included (X-Forwarded-Host)", async () => {
      const write = (origin: string) =>
        tls("/todo", {
          method: "POST",
          headers: { cookie, origin, "content-type": "application/json" },
          body: JSON.stringify({ content: `from ${origin}` }),
        });
      expect((await write(https)).status).toBe(201);
      expect((await write("https://evil.example")).status).toBe(403);
      // the same host and port over plain HTTP is another origin
      expect((await write(https.replace("https:", "http:"))).status).toBe(403);
    });

    it("straight to the app, with no proxy vouching for HTTPS, the cookie is not Secure", async () => {
      const login = await requestOnce(`${cluster.url}/login`, {
        method: "POST",
        ...json({ username: "tls-user", password: "correct horse battery staple" }),
      });
      expect(login.status).toBe(200);
      expect(setCookie(login).toLowerCase()).not.toMatch(/;\s*secure/);
    });
  });

  it("tells the app who the client is (X-Forwarded-For), not whatever the client claims", async () => {
    const seen = async (headers: Record<string, string> = {}) =>
      (JSON.parse((await tls("/healthz", { localAddress: "127.0.0.2", headers })).body) as { client: string })
        .client;
    expect(await seen()).toBe("127.0.0.2");
    expect(await seen({ "x-forwarded-for": "6.6.6.6" })).toBe("127.0.0.2");
  });

  it("holds back a burst of sign-ins per address with limit_req: a JSON 429 with Retry-After, and HSTS", async () => {
    // an address of its own, so the zone's count starts here
    const attempt = () =>
      tls("/login", {
        method: "POST",
        localAddress: "127.0.0.3",
        ...json({ username: "nobody-here", password: "not the password at all" }),
      });
    const replies = await Promise.all(Array.from({ length: 20 }, attempt));
    const statuses = replies.map((reply) => reply.status);
    // burst=5 beyond a rate of one every two seconds: about six reach the app (and get its 401)
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(8);
    const held = replies.filter((reply) => reply.status === 429);
    expect(held.length).toBeGreaterThanOrEqual(12);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    for (const reply of held) {
      expect(reply.headers["content-type"]).toMatch(/^application\/json/);
      expect(reply.headers["retry-after"]).toBe("1");
      expect(reply.headers["strict-transport-security"]).toMatch(/includeSubDomains/);
      expect(JSON.parse(reply.body)).toEqual({
        error: { status: 429, message: expect.stringMatching(/nginx held this one back/) },
      });
    }
    // another address is not held back by this one's burst
    expect((await tls("/index", { localAddress: "127.0.0.4" })).status).toBe(200);
  });

  it("answers 503 in the API's JSON error shape, with HSTS, when the app is down", async () => {
    expect(await cluster.stop()).toBe(0);
    const reply = await tls("/todo");
    expect(reply.status).toBe(503);
    expect(reply.headers["content-type"]).toMatch(/^application\/json/);
    expect(reply.headers["retry-after"]).toBe("1");
    expect(reply.headers["strict-transport-security"]).toMatch(/includeSubDomains/);
    expect(JSON.parse(reply.body)).toEqual({
      error: { status: 503, message: expect.stringMatching(/not answering/) },
    });
  });
});
