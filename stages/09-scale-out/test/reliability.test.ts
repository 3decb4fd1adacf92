import { overHttp } from "@zero-to-one/contract";
import { startServer, startTestRedis, type ServerProcess, type TestRedis } from "@zero-to-one/test-kit";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  parseCsv,
  seedTodos,
  stageDir,
  startWorker,
  waitFor,
  type JobView,
  type WorkerProcess,
} from "./helpers.js";
import { signInAsSeeded, testLimits } from "./cluster.js";

/**
 * The queue's promises, checked with real processes: an API server, one or more `npm run worker`
 * processes and a real redis-server of the test's own (with persistence, so it can be restarted).
 */
const probe = await startTestRedis({ persistent: true, requirePassword: true });
await probe.redis?.stop();

describe.skipIf(probe.skipped)("the export queue under failure (real Redis, real processes)", () => {
  if (probe.skipped) console.log(`skipped: ${probe.skipped}`);

  let redis: TestRedis | undefined;
  let api: ServerProcess | undefined;
  let workers: WorkerProcess[] = [];
  afterEach(async () => {
    for (const worker of workers) await worker.stop("SIGKILL");
    workers = [];
    expect(await api?.stop(), api?.output()).toBe(0);
    api = undefined;
    await redis?.stop();
    redis = undefined;
  });

  /** A fresh Redis, SQLite file and export folder, with `todos` seeded and the API running. */
  async function setUp({ todos, apiEnv = {} }: { todos: number; apiEnv?: Record<string, string> }) {
    const dir = mkdtempSync(join(tmpdir(), "zto-09-"));
    const dbPath = join(dir, "todo.db");
    seedTodos(dbPath, todos);
    const started = await startTestRedis({ persistent: true, requirePassword: true });
    redis = started.redis!;
    const env = { REDIS_URL: redis.url, DB_PATH: dbPath, EXPORT_DIR: join(dir, "exports") };
    // sessions on the same Redis (the default): persistent, so they outlive its restart too
    api = await startServer({ cwd: stageDir, env: { ...env, ...testLimits, ...apiEnv } });
    // as the account the seed filled: its todos are the ones exported
    const auth = await signInAsSeeded(overHttp(api.url));
    const spawnWorker = async (extra: Record<string, string> = {}) => {
      const worker = await startWorker({ ...env, ...extra });
      workers.push(worker);
      return worker;
    };
    const http = api.url;
    const submit = async (key?: string) => {
      const res = await fetch(`${http}/todo/export`, {
        method: "POST",
        headers: key ? { ...auth, "Idempotency-Key": key } : auth,
      });
      expect(res.status, await res.clone().text()).toBe(202);
      return ((await res.json()) as { job_id: string }).job_id;
    };
    const status = async (id: string) =>
      (await (await fetch(`${http}/jobs/${id}`, { headers: auth })).json()) as JobView;
    const finished = (id: string, timeoutMs = 60_000) =>
      waitFor(
        `${id} to finish`,
        async () => {
          const job = await status(id);
          return job.state === "completed" || job.state === "failed" ? job : undefined;
        },
        timeoutMs,
      );
    const result = async (id: string) => {
      const res = await fetch(`${http}/jobs/${id}/result`, { headers: auth });
      expect(res.status).toBe(200);
      return parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    };
    // the exports of a user are in a folder of the user's own
    const me = (await (await fetch(`${http}/me`, { headers: auth })).json()) as { id: string };
    const exportDir = join(env.EXPORT_DIR, me.id);
    return { env, dir, exportDir, auth, spawnWorker, submit, status, finished, result };
  }

  it("a worker killed with -9 mid-export: another worker takes the job over, it completes once and whole", async () => {
    const t = await setUp({ todos: 40_000 });
    // small pages make the export long enough to be caught in the middle
    const workerEnv = { EXPORT_PAGE_SIZE: "40", JOB_LOCK_MS: "2000" };
    const doomed = await t.spawnWorker(workerEnv);
    const id = await t.submit();
    const midway = await waitFor("the export to be under way", async () => {
      const job = await t.status(id);
      return job.state === "active" && job.progress.rows > 0 ? job : undefined;
    });
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    const after = await t.status(id);
    expect(after.state, "the export finished before the kill: nothing was tested").toBe("active");
    expect(after.progress.rows).toBeLessThan(40_000);
    expect(midway.progress.rows).toBeGreaterThan(0);

    const rescuer = await t.spawnWorker(workerEnv);
    const job = await t.finished(id);
    expect(job.state).toBe("completed");
    expect(rescuer.output()).toMatch(new RegExp(`export ${id} stalled`));
    expect(doomed.completed()).toEqual([]);
    expect(rescuer.completed().filter((line) => line.includes(id))).toHaveLength(1);

    const rows = await t.result(id);
    expect(rows).toHaveLength(1 + 40_000);
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(40_000);
    expect(readdirSync(t.exportDir)).toEqual([`${id}.csv`]); // the killed worker's partial file is gone

    // an API that cannot see the file (expired, or an EXPORT_DIR not shared with the workers) says so
    rmSync(join(t.exportDir, `${id}.csv`));
    const gone = await fetch(`${api!.url}/jobs/${id}/result`, { headers: t.auth });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toMatch(/EXPORT_DIR/);
  }, 120_000);

  it("Redis restarted while jobs wait: no job is lost", async () => {
    const t = await setUp({ todos: 10 });
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => t.submit(`before-restart-${i}`)));
    for (const id of ids) expect((await t.status(id)).state).toBe("waiting");

    await redis!.restart!();
    // the API reconnects by itself; the jobs come back from Redis's append-only file
    const states = await waitFor("the API to reach Redis again", async () => {
      const res = await fetch(`${api!.url}/jobs/${ids[0]}`, { headers: t.auth });
      return res.status === 200 ? ((await res.json()) as JobView).state : undefined;
    });
    expect(states).toBe("waiting");

    const worker = await t.spawnWorker();
    for (const id of ids) expect((await t.finished(id)).state).toBe("completed");
    expect(worker.completed()).toHaveLength(20);
  }, 120_000);

  it("a job that throws is retried with exponential backoff, then marked failed with its reason", async () => {
    const t = await setUp({ todos: 10, apiEnv: { EXPORT_ATTEMPTS: "3", EXPORT_BACKOFF_MS: "300" } });
    // EXPORT_DIR names a file, not a folder: every attempt fails to write the export
    const notAFolder = join(t.dir, "not-a-folder");
    writeFileSync(notAFolder, "");
    const worker = await t.spawnWorker({ EXPORT_DIR: notAFolder });

    const submittedAt = Date.now();
    const id = await t.submit();
    const seen = new Set<string>();
    const job = await waitFor("the job to fail for good", async () => {
      const now = await t.status(id);
      seen.add(now.state);
      return now.state === "failed" ? now : undefined;
    });
    expect(seen).toContain("delayed"); // waiting out its backoff between attempts
    expect(job.attempts).toBe(3);
    expect(job.failed_reason).toMatch(/EEXIST|ENOTDIR/);
    // three attempts with 300 ms then 600 ms of backoff between them
    expect(job.finished_at! * 1000 - submittedAt).toBeGreaterThanOrEqual(900);
    expect(worker.output().match(new RegExp(`export ${id} attempt \\d/3 failed`, "g"))).toHaveLength(3);

    const res = await fetch(`${api!.url}/jobs/${id}/result`, { headers: t.auth });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/failed \(.*E/);
  }, 120_000);

  it("1,000 exports submitted at once by two workers: every one completes exactly once", async () => {
    const t = await setUp({ todos: 5 });
    const first = await t.spawnWorker({ WORKER_CONCURRENCY: "8" });
    const second = await t.spawnWorker({ WORKER_CONCURRENCY: "8" });
    // each key is sent twice at the same moment: 2,000 requests, 1,000 jobs
    const keys = Array.from({ length: 1000 }, (_, i) => `bulk-${i}`);
    const ids = await Promise.all([...keys, ...keys].map((key) => t.submit(key)));
    expect(new Set(ids).size).toBe(1000);

    await waitFor(
      "1,000 completed exports",
      async () => {
        const done = first.completed().length + second.completed().length;
        return done >= 1000 ? done : undefined;
      },
      120_000,
    );
    const completedIds = [...first.completed(), ...second.completed()].map((line) => line.split(" ")[1]);
    expect(completedIds).toHaveLength(1000);
    expect(new Set(completedIds)).toEqual(new Set(ids));
    expect(first.completed().length).toBeGreaterThan(0);
    expect(second.completed().length).toBeGreaterThan(0);

    const sample = await t.status(ids[500]!);
    expect(sample).toMatchObject({ state: "completed", attempts: 1 });
    expect(readdirSync(t.exportDir).filter((name) => name.endsWith(".csv"))).toHaveLength(1000);
    expect(readdirSync(t.exportDir).filter((name) => name.endsWith(".partial"))).toEqual([]);
  }, 240_000);

  it("SIGTERM lets a worker finish the export in hand before it exits 0", async () => {
    const t = await setUp({ todos: 20_000 });
    const worker = await t.spawnWorker({ EXPORT_PAGE_SIZE: "40" });
    const id = await t.submit();
    await waitFor("the export to be under way", async () => {
      const job = await t.status(id);
      return job.state === "active" && job.progress.rows > 0 ? job : undefined;
    });
    expect(await worker.stop("SIGTERM")).toBe(0);
    expect(worker.completed()).toHaveLength(1);
    expect((await t.status(id)).state).toBe("completed");
    expect(await t.result(id)).toHaveLength(1 + 20_000);
  }, 120_000);

  it("SIGTERM with Redis gone: the worker does not hang, it leaves by the end of its grace period", async () => {
    const t = await setUp({ todos: 10 });
    const worker = await t.spawnWorker({ SHUTDOWN_GRACE_MS: "1000" });
    await redis!.kill!();
    const asked = Date.now();
    const code = await worker.stop("SIGTERM");
    expect(Date.now() - asked).toBeLessThan(15_000);
    // Mostly its close waits for a Redis that is gone, and the grace period ends it. A worker that had
    // not noticed the loss yet closes at once instead: it ran no job, so it leaves cleanly.
    if (code === 0) expect(worker.output()).toMatch(/SIGTERM: finishing the exports in progress/);
    else {
      expect(code).toBe(1);
      expect(worker.output()).toMatch(/still busy after 1000 ms: exiting/);
    }
    await redis!.start!(); // so the API's own shutdown is the ordinary one
  }, 120_000);
});
