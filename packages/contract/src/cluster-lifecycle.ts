import {
  allIds,
  exitCode,
  form,
  requestOnce,
  startLoad,
  waitFor,
  type Cluster,
  type Outcome,
} from "@zero-to-one/test-kit";
import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { overHttp } from "./client.js";
import type { SignIn } from "./sign-in.js";

/** Creates a todo on a fresh connection; the note is the id of an acknowledged (201) create. */
const create = async (url: string, n: number, auth: Record<string, string>) => {
  const post = form(`load ${n}`);
  const reply = await requestOnce(`${url}/todo`, { ...post, headers: { ...post.headers, ...auth } });
  return {
    status: reply.status,
    note: reply.status === 201 ? (JSON.parse(reply.body) as { id: string }).id : "",
  };
};

const workerPid = async (url: string) =>
  (JSON.parse((await requestOnce(`${url}/healthz`)).body) as { worker: { pid: number } }).worker.pid;

const acknowledged = (outcomes: Outcome[]) =>
  outcomes.filter((o) => o.status === 201 && o.note).map((o) => o.note!);

const failures = (outcomes: Outcome[]) =>
  outcomes.filter((o) => o.error !== undefined || (o.status ?? 0) >= 300);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface ClusterLifecycleOptions {
  /** Starts the stage's built cluster as a real process with 2 workers, `env` on top of its defaults. */
  startCluster: (env?: Record<string, string>) => Promise<Cluster>;
  /** A fresh SQLite file path, shared by two clusters in one test to check what survived. */
  freshDbPath: () => string;
  /** Stage 08+: how the suite signs in to a cluster it started (the same account each time). */
  signIn?: SignIn;
}

/**
 * The cluster's supervision and life-cycle (stage 05 and every stage after it): connections spread
 * over workers, a killed worker is replaced, SIGHUP swaps workers one at a time, SIGTERM drains.
 */
export function describeClusterLifecycle({ startCluster, freshDbPath, signIn }: ClusterLifecycleOptions) {
  /** The headers of a signed-in client of the cluster at `url` (none before stage 08). */
  const signedIn = async (url: string) => (signIn ? await signIn(overHttp(url)) : {});
  let running: Cluster[] = [];
  const track = (cluster: Cluster) => {
    running.push(cluster);
    return cluster;
  };
  afterEach(async () => {
    // a failed test must not leave a cluster behind
    for (const cluster of running) {
      if (cluster.child.exitCode === null && cluster.child.signalCode === null) await cluster.stop("SIGKILL");
    }
    running = [];
  });

  describe("the cluster: supervision and life-cycle, with real processes", { timeout: 90_000 }, () => {
    it("spreads connections over every worker, each showing its pid in /healthz", async () => {
      const cluster = track(await startCluster());
      expect(cluster.pids).toHaveLength(2);
      const seen = new Set<number>();
      for (let i = 0; i < 20; i++) seen.add(await workerPid(cluster.url));
      expect([...seen].sort()).toEqual([...cluster.pids].sort());
      expect(seen.has(cluster.primaryPid)).toBe(false);
      expect(await cluster.stop()).toBe(0);
    });

    it("replaces a worker killed with -9 under load; nothing acknowledged is lost", async () => {
      const cluster = track(await startCluster());
      const auth = await signedIn(cluster.url);
      const load = startLoad({ concurrency: 6, maxMs: 40_000, send: (n) => create(cluster.url, n, auth) });
      await sleep(700);

      const victim = cluster.pids[0]!;
      process.kill(victim, "SIGKILL");
      const replaced = new RegExp(
        `worker \\d+ \\(pid (\\d+)\\) is listening, replacing worker \\d+ \\(pid ${victim}\\)`,
      );
      const line = await waitFor(() => replaced.exec(cluster.output()), {
        what: "the replacement",
        output: cluster.output,
      });
      const replacedAt = load.now();
      await sleep(1_500);
      const outcomes = await load.stop();

      // the primary's log says who died, how, and who replaced it
      expect(cluster.output()).toMatch(
        new RegExp(`worker \\d+ \\(pid ${victim}\\) died after [\\d.]+ s: was killed by SIGKILL`),
      );
      const replacement = Number(line[1]);
      expect(replacement).not.toBe(victim);

      const after = outcomes.filter((o) => o.startedAt > replacedAt);
      expect(after.length).toBeGreaterThan(0);
      expect(failures(after)).toEqual([]);

      const stored = await allIds(cluster.url, auth);
      const acked = acknowledged(outcomes);
      expect(acked.length).toBeGreaterThan(after.length - 1);
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);

      const pidsNow = new Set<number>();
      for (let i = 0; i < 10; i++) pidsNow.add(await workerPid(cluster.url));
      expect(pidsNow.has(victim)).toBe(false);
      expect(pidsNow.has(replacement)).toBe(true);
      expect(await cluster.stop()).toBe(0);
    });

    it("SIGHUP swaps every worker, one at a time, without a single failed request", async () => {
      const cluster = track(await startCluster());
      const auth = await signedIn(cluster.url);
      const servedBy = new Set<number>();
      const load = startLoad({
        concurrency: 6,
        maxMs: 60_000,
        send: async (n) => {
          if (n % 3 === 0) return create(cluster.url, n, auth);
          if (n % 3 === 1)
            return { status: (await requestOnce(`${cluster.url}/todo?limit=10`, { headers: auth })).status };
          const reply = await requestOnce(`${cluster.url}/healthz`);
          servedBy.add((JSON.parse(reply.body) as { worker: { pid: number } }).worker.pid);
          return { status: reply.status };
        },
      });
      await sleep(500);
      cluster.child.kill("SIGHUP");
      await waitFor(() => cluster.output().includes("rolling restart done"), {
        what: "the rolling restart",
        output: cluster.output,
      });
      await sleep(500);
      const outcomes = await load.stop();

      expect(outcomes.length).toBeGreaterThan(20);
      expect(failures(outcomes)).toEqual([]);
      const log = cluster.output();
      for (const old of cluster.pids)
        expect(log).toMatch(new RegExp(`replaced worker \\d+ \\(pid ${old}\\)`));
      // old and new workers both served during the load; afterwards only new ones answer
      const after = new Set<number>();
      for (let i = 0; i < 10; i++) after.add(await workerPid(cluster.url));
      expect(after.size).toBe(2);
      for (const old of cluster.pids) {
        expect(servedBy.has(old)).toBe(true);
        expect(after.has(old)).toBe(false);
      }
      expect(await cluster.stop()).toBe(0);
    });

    it("SIGHUP loses nothing for clients that keep connections alive either, POSTs included", async () => {
      const cluster = track(await startCluster());
      const auth = await signedIn(cluster.url);
      // fetch pools and reuses connections: a leaving worker must answer what arrives on them, not reset
      const load = startLoad({
        concurrency: 8,
        maxMs: 60_000,
        send: async (n) => {
          const post = form(`kept ${n}`);
          const res =
            n % 2
              ? await fetch(`${cluster.url}/todo?limit=10`, { headers: auth })
              : await fetch(`${cluster.url}/todo`, { ...post, headers: { ...post.headers, ...auth } });
          await res.arrayBuffer();
          return { status: res.status };
        },
      });
      await sleep(500);
      cluster.child.kill("SIGHUP");
      await waitFor(() => cluster.output().includes("rolling restart done"), {
        what: "the rolling restart",
        output: cluster.output,
      });
      await sleep(500);
      const outcomes = await load.stop();

      expect(outcomes.length).toBeGreaterThan(100);
      expect(failures(outcomes)).toEqual([]);
      expect(await cluster.stop()).toBe(0);
    });

    it("SIGTERM during a rolling restart stops the worker that is still starting and exits 0", async () => {
      const cluster = track(await startCluster({ DB_PATH: freshDbPath() }));
      cluster.child.kill("SIGHUP");
      await waitFor(() => cluster.output().includes("SIGHUP: rolling restart"), {
        what: "the rolling restart",
        output: cluster.output,
      });
      // the new worker is forked but has not listened yet: it has nothing to drain
      cluster.child.kill("SIGTERM");
      expect(await exitCode(cluster.child, 30_000)).toBe(0);
      expect(cluster.output()).toMatch(/all workers stopped; exiting/);
    });

    it("SIGTERM under load lets in-flight requests finish, keeps every acknowledged write, exits 0", async () => {
      const dbPath = freshDbPath();
      const cluster = track(await startCluster({ DB_PATH: dbPath }));
      const auth = await signedIn(cluster.url);
      const load = startLoad({ concurrency: 4, maxMs: 40_000, send: (n) => create(cluster.url, n, auth) });
      await sleep(500);

      // a request that is surely in flight: its headers are in, its body is not sent yet
      const body = new URLSearchParams({ content: "sent while the server drains" }).toString();
      const slow = request(`${cluster.url}/todo`, {
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(body.length),
          expect: "100-continue",
          ...auth,
        },
      });
      const answered = new Promise<{ status: number; connection: string | undefined; body: string }>(
        (resolve, reject) => {
          slow.on("response", (res) => {
            let text = "";
            res.on("data", (chunk: Buffer) => (text += chunk.toString()));
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }),
            );
          });
          slow.on("error", reject);
        },
      );
      // "100 Continue" comes from the worker once the request has reached its handler
      await new Promise<void>((resolve) => slow.on("continue", () => resolve()));

      const signalledAt = load.now();
      cluster.child.kill("SIGTERM");
      await waitFor(() => cluster.output().includes("SIGTERM: draining"), {
        what: "the drain",
        output: cluster.output,
      });
      await sleep(300);
      slow.end(body);

      const reply = await answered;
      expect(reply.status).toBe(201);
      expect(reply.connection).toBe("close");
      expect(await exitCode(cluster.child, 30_000)).toBe(0);
      const outcomes = await load.stop();
      expect(cluster.output()).toMatch(/all workers stopped; exiting/);

      // before the signal everything worked; after it, a request may be refused but never half-answered
      expect(failures(outcomes.filter((o) => o.endedAt < signalledAt))).toEqual([]);
      expect(outcomes.filter((o) => o.status !== undefined && o.status !== 201)).toEqual([]);

      // every create that was acknowledged is in the database after the restart
      const again = track(await startCluster({ DB_PATH: dbPath }));
      const stored = await allIds(again.url, await signedIn(again.url));
      const acked = [...acknowledged(outcomes), (JSON.parse(reply.body) as { id: string }).id];
      expect(acked.filter((id) => !stored.has(id))).toEqual([]);
      expect(await again.stop()).toBe(0);
    });
  });
}
