import { startServer } from "@zero-to-one/test-kit";
import { once } from "node:events";
import { request, Agent, type IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { SECURITY_HEADERS } from "../src/security-headers.js";

const cwd = new URL("..", import.meta.url).pathname;
const start = (env: Record<string, string> = {}) =>
  startServer({ cwd, entry: "test/fixtures/slow-server.mjs", env });

/** A GET over node:http, so the test sees exactly what went over the socket. */
function get(url: string, agent?: Agent) {
  return new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    })
      .on("error", reject)
      .end();
  });
}

// each test starts a server process: on a busy 2-core machine that alone can take seconds
describe("serveGracefully", { timeout: 30_000 }, () => {
  it("puts the security headers on every answer: a route's, a 404 and a 500", async () => {
    const server = await start();
    try {
      for (const [path, status] of [
        ["/index", 200],
        ["/nowhere", 404],
        ["/broken", 500],
      ] as const) {
        const res = await fetch(server.url + path);
        expect(res.status, path).toBe(status);
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
          expect(res.headers.get(name), `${name} on ${path}`).toBe(value);
        }
      }
      expect(SECURITY_HEADERS["X-Content-Type-Options"]).toBe("nosniff");
    } finally {
      await server.stop();
    }
  });

  it("leaves a header the route set itself as it is, and adds the others", async () => {
    const server = await start();
    try {
      const res = await fetch(`${server.url}/page`);
      expect(res.headers.get("content-security-policy")).toBe("default-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    } finally {
      await server.stop();
    }
  });

  it("lets a slow request in flight at SIGTERM finish with its full response, then exits 0", async () => {
    const server = await start();
    const slow = get(`${server.url}/slow?ms=600`);
    await new Promise((r) => setTimeout(r, 150));
    const exit = server.stop("SIGTERM");

    const res = await slow;
    expect(res).toMatchObject({ status: 200, body: "finished after a slow start", connection: "close" });
    expect(await exit).toBe(0);
    expect(server.output()).toContain("SIGTERM: finishing 1 in-flight request(s)");
    expect(server.output()).toContain("onClose ran");
  });

  it("counts as in flight only the requests begun, not the idle connections", async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true });
    expect((await get(`${server.url}/index`, agent)).status).toBe(200); // leaves an idle connection
    const slow = [get(`${server.url}/slow?ms=600`), get(`${server.url}/slow?ms=600`)];
    await new Promise((r) => setTimeout(r, 150));
    const exit = server.stop("SIGTERM");
    expect((await Promise.all(slow)).map((res) => res.status)).toEqual([200, 200]);
    expect(await exit).toBe(0);
    expect(server.output()).toContain("SIGTERM: finishing 2 in-flight request(s)");
    agent.destroy();
  });

  it("closes a kept-alive connection as soon as the answer it was sending at the signal ends", async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const streamed = await new Promise<IncomingMessage>((resolve, reject) =>
      request(`${server.url}/stream?ms=500`, { agent }, resolve).on("error", reject).end(),
    );
    // the head went out before the signal, so it promised to keep the connection open
    expect(streamed.headers.connection).toBe("keep-alive");
    const closed = once(streamed.socket, "close");
    const started = Date.now();
    const exit = server.stop("SIGTERM");
    let body = "";
    for await (const chunk of streamed) body += String(chunk);
    expect(body).toBe("first line\nlast line\n");
    await closed;
    // not left open until the keep-alive timeout (5 s, and a second of grace); the answer took 0.5 s
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await exit).toBe(0);
    agent.destroy();
  });

  it("stops accepting new connections as soon as the signal arrives", async () => {
    const server = await start();
    const slow = get(`${server.url}/slow?ms=600`);
    await new Promise((r) => setTimeout(r, 150));
    const exit = server.stop("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    await expect(get(`${server.url}/index`)).rejects.toThrow(/ECONNREFUSED/);
    expect((await slow).status).toBe(200);
    expect(await exit).toBe(0);
  });

  it(
    "closes idle keep-alive connections by the keep-alive timeout it advertised, then exits 0",
    { timeout: 30_000 },
    async () => {
      const server = await start();
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      expect((await get(`${server.url}/index`, agent)).status).toBe(200);
      const [socket] = Object.values(agent.freeSockets).flat();
      expect(socket).toBeDefined();
      const closed = once(socket!, "close");
      const started = Date.now();
      expect(await server.stop("SIGTERM")).toBe(0);
      await closed;
      // Node's keep-alive timeout is 5 s; a client that honours it never reuses a socket the server closes
      expect(Date.now() - started).toBeLessThan(8000);
      agent.destroy();
    },
  );

  it("still answers a request sent on a kept-alive connection just after the signal, then closes it", async () => {
    const server = await start();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(`${server.url}/index`, agent)).status).toBe(200);
    const exit = server.stop("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    // the pooled socket is reused: a server that dropped idle sockets at once would reset it
    expect(await get(`${server.url}/index`, agent)).toMatchObject({ status: 200, connection: "close" });
    expect(await exit).toBe(0);
    agent.destroy();
  });

  it("exits at once with code 1 on a second signal", async () => {
    const server = await start();
    const slow = get(`${server.url}/slow?ms=5000`).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 150));
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 100));
    expect(await server.stop("SIGINT")).toBe(1);
    expect(server.output()).toContain("SIGINT again: exiting now");
    expect(await slow).toBeInstanceOf(Error);
  });

  it("gives up on a request that outlives the drain timeout, with exit code 1", async () => {
    const server = await start({ DRAIN_MS: "200" });
    const slow = get(`${server.url}/slow?ms=5000`).catch((error: Error) => error);
    await new Promise((r) => setTimeout(r, 100));
    expect(await server.stop("SIGTERM")).toBe(1);
    expect(server.output()).toMatch(/drain took over 200 ms/);
    expect(await slow).toBeInstanceOf(Error);
  });
});
