import { TEST_PASSWORD } from "@zero-to-one/contract";
import { requestOnce, startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { afterEach, describe, expect, it } from "vitest";
import {
  freshDbPath,
  REDIS_URL,
  sessionRedis,
  stageDir,
  startCluster,
  testLimits,
  withRedis,
  type Cluster,
} from "./cluster.js";

const credentials = (username: string) => JSON.stringify({ username, password: TEST_PASSWORD });
const post = (body: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body,
});

/** Signs up on `url` and returns the session cookie, ready for a Cookie header. */
async function signUp(url: string, username: string) {
  const res = await requestOnce(`${url}/signup`, post(credentials(username)));
  expect(res.status, res.body).toBe(201);
  const setCookie = res.headers["set-cookie"]?.[0] ?? "";
  return setCookie.split(";")[0]!;
}

/**
 * `n` fresh connections asking /me with the cookie, and every third one /healthz instead, to see
 * which workers answer. The primary hands connections to the workers in turn, so a pattern of
 * three over two workers puts both /me and /healthz on both of them.
 */
async function askMany(url: string, cookie: string, n: number) {
  const statuses: number[] = [];
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (i % 3 === 2) {
      const health = await requestOnce(`${url}/healthz`);
      pids.add((JSON.parse(health.body) as { worker: { pid: number } }).worker.pid);
    } else {
      statuses.push((await requestOnce(`${url}/me`, { headers: { cookie } })).status);
    }
  }
  return { statuses, pids };
}

await withRedis("09-scale-out: sessions across workers and hosts", () => {
  describe("sessions in Redis, across workers and hosts (real processes)", { timeout: 60_000 }, () => {
    const running: (Cluster | ServerProcess)[] = [];
    afterEach(async () => {
      for (const server of running.splice(0)) expect(await server.stop()).toBe(0);
    });

    it("a session made on one host works on another, and a logout on the second ends it on the first", async () => {
      // two separate servers, as two machines would run them: one database, one session Redis
      const env = {
        DB_PATH: freshDbPath(),
        MONGO_URL: "",
        WORKERS: "1",
        REDIS_URL,
        SESSION_REDIS_URL: sessionRedis.REDIS_URL,
        ...testLimits,
      };
      const [a, b] = await Promise.all([
        startServer({ cwd: stageDir, env }),
        startServer({ cwd: stageDir, env }),
      ]);
      running.push(a, b);
      const cookie = await signUp(a.url, "two-hosts");
      const onB = await requestOnce(`${b.url}/me`, { headers: { cookie } });
      expect(onB.status).toBe(200);
      expect(JSON.parse(onB.body)).toMatchObject({ username: "two-hosts" });

      expect((await requestOnce(`${b.url}/logout`, { method: "POST", headers: { cookie } })).status).toBe(
        204,
      );
      expect((await requestOnce(`${a.url}/me`, { headers: { cookie } })).status).toBe(401);
    });

    it("in a cluster every worker knows the session, and after a logout none does", async () => {
      const cluster = await startCluster({ WORKERS: "2" });
      running.push(cluster);
      const cookie = await signUp(cluster.url, "two-workers");
      // fresh connections are spread over the workers: both answer while the session is asked for
      const signedIn = await askMany(cluster.url, cookie, 24);
      expect(signedIn.statuses).toEqual(Array(16).fill(200));
      expect([...signedIn.pids].sort()).toEqual([...cluster.pids].sort());

      expect(
        (await requestOnce(`${cluster.url}/logout`, { method: "POST", headers: { cookie } })).status,
      ).toBe(204);
      const signedOut = await askMany(cluster.url, cookie, 24);
      expect(signedOut.statuses).toEqual(Array(16).fill(401));
      expect([...signedOut.pids].sort()).toEqual([...cluster.pids].sort());
      // the session id was never written to the log, nor the Redis password
      expect(cluster.output()).not.toContain(cookie.slice("session=".length));
      expect(cluster.output()).not.toContain(sessionRedis.redis!.password!);
    });
  });
});
