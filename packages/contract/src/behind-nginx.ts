import {
  freePort,
  nginxConfigOn,
  requestOnce,
  startLoad,
  startNginx,
  waitFor,
  type Cluster,
} from "@zero-to-one/test-kit";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { overHttp } from "./client.js";
import { describeTodoApi } from "./todo-api.js";

const refusedByNginx = (path: string) => /%00|\.\.%2F/i.test(path);

export interface BehindNginxOptions {
  /** The stage folder: its own nginx.conf (`listen 127.0.0.1:8888;`, `server 127.0.0.1:8000;`) is run. */
  stageDir: string;
  /** Starts the stage's built cluster as a real process, `env` on top of its defaults. */
  startCluster: (env?: Record<string, string>) => Promise<Cluster>;
}

/**
 * A clustered stage behind a real nginx with the stage's own nginx.conf: the API contract through
 * the proxy, what nginx refuses, the client address, a rolling restart, and the app being down.
 * Await it at the top of a test file: it starts nginx (or logs one `skipped:` line without it).
 */
export async function describeBehindNginx(label: string, { stageDir, startCluster }: BehindNginxOptions) {
  const appPort = await freePort();
  const nginxPort = await freePort();
  const started = await startNginx({
    // the stage's own nginx.conf, moved to free ports: the file a learner runs is the file under test
    config: nginxConfigOn(readFileSync(`${stageDir}/nginx.conf`, "utf8"), {
      listen: nginxPort,
      upstream: appPort,
    }),
    port: nginxPort,
  });
  if (started.skipped) console.log(`skipped: ${started.skipped}`);
  const nginx = started.nginx;

  let cluster: Cluster | undefined;
  afterAll(async () => {
    if (cluster && cluster.child.exitCode === null) expect(await cluster.stop()).toBe(0);
    await nginx?.stop();
  });

  describe.skipIf(!nginx)(`${label} behind nginx`, () => {
    describeTodoApi(`${label} through nginx (2 workers)`, {
      level: 4,
      connect: async () => {
        cluster = await startCluster({ PORT: String(appPort), WORKERS: "2" });
        const viaNginx = overHttp(nginx!.url);
        const direct = overHttp(cluster.url);
        // nginx itself refuses a path with a NUL byte or one above the root (a JSON 400, tested
        // below), so only those two hostile paths of the contract go straight to the app
        return {
          request: (path, init) => (refusedByNginx(path) ? direct : viaNginx).request(path, init),
          overSocket: true,
        };
      },
    });

    describe("what nginx refuses before the app sees it", () => {
      it.each(["/todo/..%2F..%2Fetc%2Fpasswd", "/todo/abc%00def"])(
        "answers %s with a JSON 400",
        async (path) => {
          expect(refusedByNginx(path)).toBe(true);
          const reply = await requestOnce(`${nginx!.url}${path}`);
          expect(reply.status).toBe(400);
          expect(reply.headers["content-type"]).toMatch(/^application\/json/);
          expect(JSON.parse(reply.body)).toEqual({
            error: { status: 400, message: expect.stringMatching(/nginx refused it/) },
          });
        },
      );
    });

    describe("who the client is", () => {
      beforeAll(async () => {
        cluster ??= await startCluster({ PORT: String(appPort), WORKERS: "2" });
      });
      const clientSeen = async (url: string, headers: Record<string, string> = {}) =>
        (
          JSON.parse((await requestOnce(`${url}/healthz`, { localAddress: "127.0.0.2", headers })).body) as {
            client: string;
          }
        ).client;

      it("through nginx, the app sees the real client (127.0.0.2), not a forged X-Forwarded-For", async () => {
        expect(await clientSeen(nginx!.url)).toBe("127.0.0.2");
        expect(await clientSeen(nginx!.url, { "x-forwarded-for": "6.6.6.6" })).toBe("127.0.0.2");
      });

      it("straight to the app from a machine that is not the proxy, the header is ignored", async () => {
        expect(await clientSeen(cluster!.url, { "x-forwarded-for": "6.6.6.6" })).toBe("127.0.0.2");
      });

      it("nginx's requests reach every worker once they need more than one connection", async () => {
        // nginx reuses its kept-alive connections to the app, and the cluster spreads connections,
        // not requests: one request at a time may well ride one connection to one worker
        const pids = new Set<number>();
        for (let round = 0; round < 10 && pids.size < 2; round++) {
          const replies = await Promise.all(
            Array.from({ length: 20 }, () => requestOnce(`${nginx!.url}/healthz`)),
          );
          for (const reply of replies)
            pids.add((JSON.parse(reply.body) as { worker: { pid: number } }).worker.pid);
        }
        expect([...pids].sort()).toEqual([...cluster!.pids].sort());
      });
    });

    describe("a rolling restart behind nginx", () => {
      it("loses no GET even on kept-alive connections: nginx retries a reused connection that closed", async () => {
        const load = startLoad({
          concurrency: 6,
          maxMs: 60_000,
          send: async (n) => {
            const res = await fetch(`${nginx!.url}${n % 2 ? "/todo?limit=10" : "/healthz"}`);
            await res.arrayBuffer();
            return { status: res.status };
          },
        });
        await new Promise((r) => setTimeout(r, 500));
        const mark = cluster!.output().length;
        cluster!.child.kill("SIGHUP");
        await waitFor(() => cluster!.output().slice(mark).includes("rolling restart done"), {
          what: "the rolling restart",
          output: cluster!.output,
        });
        const outcomes = await load.stop();
        expect(outcomes.length).toBeGreaterThan(20);
        expect(outcomes.filter((o) => o.error !== undefined || o.status !== 200)).toEqual([]);
      });
    });

    describe("when the app is down", () => {
      it("nginx answers 503 in the API's JSON error shape, not an HTML page", async () => {
        expect(await cluster!.stop()).toBe(0);
        const reply = await requestOnce(`${nginx!.url}/todo`);
        expect(reply.status).toBe(503);
        expect(reply.headers["content-type"]).toMatch(/^application\/json/);
        expect(reply.headers["retry-after"]).toBe("1");
        expect(JSON.parse(reply.body)).toEqual({
          error: { status: 503, message: expect.stringMatching(/not answering/) },
        });
      });
    });
  });
}
