import { describeTodoApi, overHttp, signUpAndIn, withHeaders, type ApiClient } from "@zero-to-one/contract";
import {
  freePort,
  nginxConfigOn,
  nginxProblem,
  requestOnce,
  startLoad,
  startNginx,
  waitFor,
  type Cluster,
  type Reply,
} from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { Agent, request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stageDir, startCluster } from "./cluster.js";

const opensslProblem = () =>
  spawnSync("openssl", ["version"]).error ? "openssl is not installed (apt-get install openssl)" : undefined;

const problem = nginxProblem() ?? opensslProblem();
if (problem) console.log(`skipped: ${problem}`);

/** The stage's own nginx.conf on free ports (8888, 8443, 8000 → http, https, app), certificate from `dir`. */
const configOn = (ports: { http: number; https: number; app: number }, dir: string) =>
  nginxConfigOn(readFileSync(join(stageDir, "nginx.conf"), "utf8"), {
    listen: ports.http,
    upstream: ports.app,
    tls: { port: ports.https, certDir: dir },
  });

const setCookie = (reply: Reply) => [reply.headers["set-cookie"] ?? []].flat().join("\n");
const cookiePair = (reply: Reply) => /session=[^;]+/.exec(setCookie(reply))?.[0];
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** The two hostile paths of the contract, which nginx answers itself (tested below). */
const refusedByNginx = (path: string) => /%00|\.\.%2F/i.test(path);

/**
 * Many clients' addresses on loopback (`127.0.<net>.1`…`.64`). nginx.conf's limit_req lets one
 * address send 50 API requests a second beyond a burst of 100; a suite or a load that stands for
 * many users spreads its requests over these, so what it meets is the proxy, not that limit.
 */
const manyClients = (net: number) => Array.from({ length: 64 }, (_, i) => `127.0.${net}.${i + 1}`);

/**
 * An API client like the contract's `overHttp`, over TLS: it trusts `ca`, keeps its connections
 * alive as fetch does, and sends each request from the next address of `from`.
 */
function overTls(baseUrl: string, ca: string, from: readonly string[]): ApiClient & { close: () => void } {
  const agent = new Agent({ keepAlive: true, ca });
  let sent = 0;
  const request = async (path: string, init?: RequestInit) => {
    const outgoing = new Request(new URL(path, baseUrl), init);
    const body = Buffer.from(await outgoing.arrayBuffer());
    const headers = Object.fromEntries(outgoing.headers);
    if (body.length > 0 || !["GET", "HEAD"].includes(outgoing.method))
      headers["content-length"] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(
        outgoing.url,
        { method: outgoing.method, headers, agent, localAddress: from[sent++ % from.length] },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const answer = new Headers();
            for (let i = 0; i < res.rawHeaders.length; i += 2)
              answer.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
            const status = res.statusCode ?? 0;
            const empty = outgoing.method === "HEAD" || [204, 205, 304].includes(status);
            resolve(
              new Response(empty ? null : new Uint8Array(Buffer.concat(chunks)), {
                status,
                statusText: res.statusMessage ?? "",
                headers: answer,
              }),
            );
          });
        },
      );
      req.on("error", reject);
      req.end(body.length > 0 ? body : undefined);
    });
  };
  return { request, overSocket: true, close: () => agent.destroy() };
}

describe.skipIf(problem)("09-scale-out behind nginx over HTTPS", () => {
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
  const clients: { close: () => void }[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    if (cluster && cluster.child.exitCode === null) await cluster.stop();
    await nginx?.stop();
  });
  /** A client of many addresses over TLS (see manyClients), closed after the file. */
  const tlsClient = (net: number) => {
    const client = overTls(https, ca, manyClients(net));
    clients.push(client);
    return client;
  };

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

  describeTodoApi("09-scale-out through nginx over TLS (2 workers), signed in", {
    level: 4,
    signIn: signUpAndIn(),
    connect: () => {
      const viaNginx = tlsClient(1);
      const direct = overHttp(cluster.url);
      // nginx itself refuses a path with a NUL byte or one above the root (a JSON 400, tested
      // below), so only those two hostile paths of the contract go straight to the app
      return {
        request: (path, init) => (refusedByNginx(path) ? direct : viaNginx).request(path, init),
        overSocket: true,
      };
    },
  });

  describe("what nginx refuses before the app sees it: JSON, never an HTML page", () => {
    /** nginx's own JSON error, with HSTS: the message says nginx answered, not the app. */
    const expectRefusal = (reply: Reply, status: number) => {
      expect(reply.status, reply.body).toBe(status);
      expect(reply.headers["content-type"]).toMatch(/^application\/json/);
      expect(reply.headers["strict-transport-security"]).toMatch(/includeSubDomains/);
      expect(JSON.parse(reply.body)).toEqual({
        error: { status, message: expect.stringMatching(/nginx refused (it|them) before/) },
      });
    };

    it.each(["/todo/..%2F..%2Fetc%2Fpasswd", "/todo/abc%00def"])(
      "answers %s with a JSON 400",
      async (path) => {
        expect(refusedByNginx(path)).toBe(true);
        expectRefusal(await tls(path), 400);
      },
    );

    it("answers a body over 64 KiB with a JSON 413 (the app's own limit, 16 KiB, is the contract's)", async () => {
      const reply = await tls("/todo", {
        method: "POST",
        ...json({ content: "x".repeat(64 * 1024) }),
      });
      expectRefusal(reply, 413);
      expect(JSON.parse(reply.body).error.message).toMatch(/64 KiB/);
    });

    it("answers a URL over 8 KiB with a JSON 414", async () => {
      expectRefusal(await tls(`/todo?start=${"0".repeat(9 * 1024)}`), 414);
    });

    it("answers a header line over 8 KiB, or headers over 32 KiB in all, with a JSON 431", async () => {
      expectRefusal(await tls("/todo", { headers: { cookie: `session=${"A".repeat(9 * 1024)}` } }), 431);
      const many = Object.fromEntries(
        Array.from({ length: 6 }, (_, i) => [`x-filler-${i}`, "B".repeat(6 * 1024)]),
      );
      expectRefusal(await tls("/todo", { headers: many }), 431);
    });
  });

  describe("who the client is, and which worker answers", () => {
    it("straight to the app from a machine that is not the proxy, X-Forwarded-For is ignored", async () => {
      const reply = await requestOnce(`${cluster.url}/healthz`, {
        localAddress: "127.0.0.2",
        headers: { "x-forwarded-for": "6.6.6.6" },
      });
      expect((JSON.parse(reply.body) as { client: string }).client).toBe("127.0.0.2");
    });

    it("nginx's requests reach every worker once they need more than one connection", async () => {
      // nginx reuses its kept-alive connections to the app, and the cluster spreads connections,
      // not requests: one request at a time may well ride one connection to one worker
      const pids = new Set<number>();
      for (let round = 0; round < 10 && pids.size < 2; round++) {
        const replies = await Promise.all(
          Array.from({ length: 20 }, () => tls("/healthz", { localAddress: "127.0.0.5" })),
        );
        for (const reply of replies) {
          expect(reply.status, reply.body).toBe(200);
          pids.add((JSON.parse(reply.body) as { worker: { pid: number } }).worker.pid);
        }
      }
      expect([...pids].sort()).toEqual([...cluster.pids].sort());
    });
  });

  describe("a rolling restart behind nginx", () => {
    it("loses no request even on kept-alive connections: nginx retries a reused connection that closed", async () => {
      const client = tlsClient(2);
      const api = withHeaders(client, await signUpAndIn()(client));
      const load = startLoad({
        concurrency: 6,
        maxMs: 60_000,
        send: async (n) => {
          const res = await api.request(n % 2 ? "/todo?limit=10" : "/healthz");
          await res.arrayBuffer();
          return { status: res.status };
        },
      });
      await new Promise((r) => setTimeout(r, 500));
      const mark = cluster.output().length;
      cluster.child.kill("SIGHUP");
      await waitFor(() => cluster.output().slice(mark).includes("rolling restart done"), {
        what: "the rolling restart",
        output: cluster.output,
      });
      const outcomes = await load.stop();
      expect(outcomes.length).toBeGreaterThan(20);
      expect(outcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
    });
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
