import { overHttp, signUpAndIn } from "@zero-to-one/contract";
import {
  requestOnce,
  startServer,
  startTestSentinel,
  type ServerProcess,
  type TestSentinel,
} from "@zero-to-one/test-kit";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stageDir, startWorker, waitFor, type JobView, type WorkerProcess } from "./helpers.js";

/**
 * Redis through Sentinel: the API and an export worker find the primary by asking three Sentinels,
 * and follow the failover when it is killed, without a restart.
 */
const started = await startTestSentinel();
if (started.skipped) console.log(`skipped: Redis through Sentinel: ${started.skipped}`);

describe.skipIf(started.skipped)("09-scale-out: Redis through Sentinel, primary killed", () => {
  let sentinel: TestSentinel;
  let api: ServerProcess;
  let worker: WorkerProcess;
  let auth: Record<string, string>;

  beforeAll(async () => {
    sentinel = started.sentinel!;
    const dir = mkdtempSync(join(tmpdir(), "zto-09-sentinel-"));
    const env = {
      REDIS_SENTINELS: sentinel.sentinels,
      REDIS_SENTINEL_NAME: sentinel.name,
      REDIS_PASSWORD: sentinel.password,
      DB_PATH: join(dir, "todo.db"),
      EXPORT_DIR: join(dir, "exports"),
    };
    api = await startServer({
      cwd: stageDir,
      env: { ...env, WORKERS: "2", RATE_LIMIT_LOGIN: "1000/100", RATE_LIMIT_API: "10000/1000" },
    });
    worker = await startWorker(env);
    auth = await signUpAndIn()(overHttp(api.url));
    expect(api.output()).toMatch(/cache: sentinel "zto" at 127\.0\.0\.1:\d+,/);
    expect(worker.output()).toMatch(/jobs from sentinel "zto" at 127\.0\.0\.1:\d+,/);
  });
  afterAll(async () => {
    await worker?.stop("SIGKILL");
    expect(await api?.stop(), api?.output()).toBe(0);
    await sentinel?.stop();
  });

  /** One request, bounded: a request that hangs while Redis fails over fails the test. */
  const call = async (path: string, init: RequestInit = {}) => {
    const began = Date.now();
    const res = await fetch(api.url + path, {
      ...init,
      headers: { ...auth, ...init.headers },
      signal: AbortSignal.timeout(10_000),
    });
    return { res, ms: Date.now() - began };
  };
  const create = (content: string) =>
    call("/todo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ content }),
    });
  const job = async (id: string) => (await (await call(`/jobs/${id}`)).res.json()) as JobView;
  const exportNow = async () => {
    const { res } = await call("/todo/export", { method: "POST" });
    expect(res.status, await res.clone().text()).toBe(202);
    return ((await res.json()) as { job_id: string }).job_id;
  };

  it("serves on through the failover: every acknowledged todo and job survives it", async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { res } = await create(`before ${i}`);
      expect(res.status).toBe(201);
      acknowledged.push(((await res.json()) as { id: string }).id);
    }
    const list = await call("/todo");
    expect(list.res.status).toBe(200);
    expect(list.res.headers.get("x-served-by")).toBeTruthy();
    const queuedBefore = await exportNow();

    const old = await sentinel.killPrimary();
    const killedAt = Date.now();
    // writes and reads go on during the failover: each answers (a 201, or a 503 while no primary
    // can be reached), none hangs, and the service is whole again within 30 s without a restart
    let recoveredAt: number | undefined;
    for (let i = 0; recoveredAt === undefined; i++) {
      expect(Date.now() - killedAt, "no recovery within 30 s").toBeLessThan(30_000);
      const written = await create(`during ${i}`);
      expect([201, 503]).toContain(written.res.status);
      expect(written.ms).toBeLessThan(5_000);
      if (written.res.status === 201) acknowledged.push(((await written.res.json()) as { id: string }).id);
      const read = await call("/todo");
      expect([200, 503]).toContain(read.res.status);
      expect(read.ms).toBeLessThan(5_000);
      if (written.res.status === 201 && read.res.status === 200) recoveredAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await sentinel.primaryPort()).not.toBe(old);

    for (const id of acknowledged) expect((await call(`/todo/${id}`)).res.status, id).toBe(200);
    // the job queued on the old primary is on the new one, and the same worker, never restarted, runs it
    const before = await waitFor("the export queued before the failover", async () => {
      const state = await job(queuedBefore);
      return state.state === "completed" || state.state === "failed" ? state : undefined;
    });
    expect(before.state).toBe("completed");
    const queuedAfter = await exportNow();
    const after = await waitFor("an export queued after the failover", async () => {
      const state = await job(queuedAfter);
      return state.state === "completed" ? state : undefined;
    });
    expect(after.progress.rows).toBe(acknowledged.length);
  }, 90_000);

  it("keeps the cache in use when one of the three Sentinels goes away", async () => {
    /** Whether both workers have the cache and the sessions on Redis (fresh connections alternate). */
    const whole = async () => {
      for (let i = 0; i < 4; i++) {
        const res = await requestOnce(`${api.url}/healthz?require=redis`);
        if (res.status !== 200) return undefined;
      }
      return true;
    };
    await waitFor("the cache in use before", whole);
    await sentinel.killSentinel();
    // the client's connection to that Sentinel fails, and the other two still name the primary
    await waitFor("the cache in use again", whole, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // and it stays in use
    expect(await whole()).toBe(true);
  }, 60_000);
});
