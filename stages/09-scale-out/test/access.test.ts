import { expectError, overHttp, signUpAndIn, type Todo } from "@zero-to-one/contract";
import { form } from "@zero-to-one/test-kit";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisUrl, sessionRedis, startCluster, withRedis, type Cluster } from "./cluster.js";
import { parseCsv, startWorker, waitFor, type JobView, type WorkerProcess } from "./helpers.js";

type Page = { data: Todo[]; next: string | null };

/**
 * Two users of one real cluster (2 worker processes) and one `npm run worker`: neither can see,
 * change, delete or export the other's todos, on any route. Another user's todo or job is answered
 * exactly like one that does not exist.
 */
await withRedis("09-scale-out: two users on every route", () => {
  describe("two users on every route (2 workers, a queue worker, real Redis)", { timeout: 60_000 }, () => {
    const exportDir = mkdtempSync(join(tmpdir(), "zto-09-access-"));
    let cluster: Cluster;
    let worker: WorkerProcess;
    let alice: Record<string, string>;
    let bob: Record<string, string>;
    const mine: Todo[] = []; // alice's, newest last
    const his: Todo[] = []; // bob's

    const call = (who: Record<string, string>, path: string, init: RequestInit = {}) =>
      fetch(cluster.url + path, { ...init, headers: { ...(init.headers as object), ...who } });
    const create = async (who: Record<string, string>, content: string) => {
      const res = await call(who, "/todo", form(content));
      expect(res.status).toBe(201);
      return (await res.json()) as Todo;
    };
    const page = async (who: Record<string, string>, query = "") =>
      (await (await call(who, `/todo${query}`)).json()) as Page;

    beforeAll(async () => {
      const env = { EXPORT_DIR: exportDir, REDIS_URL: redisUrl!, SESSION_REDIS_URL: sessionRedis.REDIS_URL };
      cluster = await startCluster({ ...env, WORKERS: "2" });
      worker = await startWorker({ ...env, DB_PATH: dbPathOf(cluster) });
      alice = await signUpAndIn()(overHttp(cluster.url));
      bob = await signUpAndIn()(overHttp(cluster.url));
      for (let i = 0; i < 12; i++) mine.push(await create(alice, `alice's ${i}`));
      for (let i = 0; i < 3; i++) his.push(await create(bob, `bob's ${i}`));
    });
    afterAll(async () => {
      await worker?.stop();
      expect(await cluster?.stop()).toBe(0);
      rmSync(exportDir, { recursive: true, force: true });
    });

    it("lists never mix: first page (cached), offset pages, a cursor walk, the whole list", async () => {
      const ids = (todos: Todo[]) => todos.map((t) => t.id);
      const aliceNewestFirst = ids(mine).reverse();
      for (let read = 0; read < 3; read++) {
        expect(ids((await page(alice)).data)).toEqual(aliceNewestFirst.slice(0, 10));
        expect(ids((await page(bob)).data)).toEqual(ids(his).reverse());
      }
      expect(ids((await page(alice, "?start=10")).data)).toEqual(aliceNewestFirst.slice(10));
      expect(ids((await page(alice, "?limit=100")).data)).toEqual(aliceNewestFirst);
      const first = await page(alice, "?limit=5");
      const walked = [...first.data];
      for (let next = first.next; next;) {
        const more = await page(alice, `?limit=5&before=${encodeURIComponent(next)}`);
        walked.push(...more.data);
        next = more.next;
      }
      expect(ids(walked)).toEqual(aliceNewestFirst);
    });

    it("another user's todo is a 404 on GET, finish and DELETE, like an id that never existed, and stays as it was", async () => {
      const target = mine[0]!;
      const unknown = "0f6c8a52-1d2b-4c47-9a0e-6b1f4d3e2a10";
      for (const [method, suffix] of [
        ["GET", ""],
        ["PUT", "/finish"],
        ["DELETE", ""],
      ] as const) {
        const theirs = await expectError(await call(bob, `/todo/${target.id}${suffix}`, { method }), 404);
        const never = await expectError(await call(bob, `/todo/${unknown}${suffix}`, { method }), 404);
        expect(theirs.message).toBe(never.message.replace(unknown, target.id));
      }
      // asked twice, in case a cache remembered the 404 for everyone
      await expectError(await call(bob, `/todo/${target.id}`), 404);
      const still = await call(alice, `/todo/${target.id}`);
      expect(still.status).toBe(200);
      expect(await still.json()).toEqual(target);
    });

    it("an export inside the request holds only the caller's todos", async () => {
      const res = await call(bob, "/todo/export?inline=1", { method: "POST" });
      expect(res.status).toBe(200);
      const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      expect(rows.slice(1).map((row) => row[0])).toEqual(his.map((t) => t.id).reverse());
    });

    it("a queued export: only its owner sees its status and result; the same key makes each user their own job", async () => {
      const submit = async (who: Record<string, string>) => {
        const res = await call(who, "/todo/export", {
          method: "POST",
          headers: { "Idempotency-Key": "monthly" },
        });
        expect(res.status).toBe(202);
        return ((await res.json()) as { job_id: string }).job_id;
      };
      const [hers, bobs] = [await submit(alice), await submit(bob)];
      expect(hers).not.toBe(bobs);
      const done = (who: Record<string, string>, id: string) =>
        waitFor(`export ${id}`, async () => {
          const job = (await (await call(who, `/jobs/${id}`)).json()) as JobView;
          return job.state === "completed" || job.state === "failed" ? job : undefined;
        });
      expect(await done(alice, hers), worker.output()).toMatchObject({
        state: "completed",
        progress: { rows: 12 },
      });
      expect(await done(bob, bobs)).toMatchObject({ state: "completed", progress: { rows: 3 } });

      for (const path of [`/jobs/${hers}`, `/jobs/${hers}/result`]) {
        const res = await call(bob, path);
        await expectError(res, 404, /no export job/);
      }
      const result = await call(alice, `/jobs/${hers}/result`);
      expect(result.status).toBe(200);
      const rows = parseCsv((await result.text()).replace(/^\uFEFF/, ""));
      expect(rows.slice(1).map((row) => row[0])).toEqual(mine.map((t) => t.id).reverse());

      // the files: one folder per user, each holding that user's export only
      const folders = readdirSync(exportDir).sort();
      expect(folders).toHaveLength(2);
      for (const folder of folders) expect(readdirSync(join(exportDir, folder))).toHaveLength(1);
    });
  });
});

/** The SQLite file a cluster was started on, from its start-up line. */
function dbPathOf(cluster: Cluster) {
  const match = /store: sqlite at (\S+),/.exec(cluster.output());
  if (!match) throw new Error(`no SQLite path in ${cluster.output()}`);
  return match[1]!;
}
