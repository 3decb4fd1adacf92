import { startTestRedis, type TestRedis } from "@zero-to-one/test-kit";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, renderFirstPage } from "../src/app.js";
import { exportFiles } from "../src/export-files.js";
import { createFirstPageCache, type FirstPageCache } from "../src/first-page-cache.js";
import { createNotFoundCache, type NotFoundCache } from "../src/not-found-cache.js";
import { createExportQueue, type ExportQueue } from "../src/queue.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { TodoStore, UserStore } from "../src/store.js";
import { noRedis } from "./cluster.js";
import { parseCsv, type JobView } from "./helpers.js";
import { asUser, sessions, someone } from "./signed-in.js";

// its own redis-server (even when REDIS_URL is set), so it can be stopped and no other worker takes its jobs
const started = await startTestRedis({ persistent: true, requirePassword: true });
const skipped = started.skipped ?? noRedis;

describe.skipIf(skipped)("the export routes, with no worker running", () => {
  if (skipped) console.log(`skipped: ${skipped}`);
  let redis: TestRedis;
  let store: TodoStore & UserStore;
  let queue: ExportQueue;
  let firstPage: FirstPageCache;
  let notFoundCache: NotFoundCache;
  let app: ReturnType<typeof asUser>;
  /** Another signed-in user of the same app. */
  let other: ReturnType<typeof asUser>;
  const user = someone("exporter");

  beforeAll(async () => {
    redis = started.redis!;
    store = createSqliteStore(":memory:");
    for (const content of ["first", 'second, with "quotes"', "=1+1"]) await store.add(user.id, content);
    await store.add(someone().id, "someone else's");
    queue = createExportQueue({ redisUrl: redis.url, attempts: 3, backoffMs: 1000 });
    const files = exportFiles(mkdtempSync(join(tmpdir(), "zto-exports-")));
    firstPage = createFirstPageCache({ redisUrl: redis.url, load: (owner) => renderFirstPage(store, owner) });
    notFoundCache = createNotFoundCache({ redisUrl: redis.url });
    const served = createApp({
      store,
      sessions,
      firstPage,
      notFoundCache,
      exports: { queue, files, pageSize: 2 },
    });
    app = asUser(served, user);
    other = asUser(served, someone("other"));
  });
  afterAll(async () => {
    await queue?.close();
    await firstPage?.close();
    await notFoundCache?.close();
    await store?.close();
    await redis?.stop();
  });

  const submit = (key?: string) =>
    app.request("/todo/export", { method: "POST", headers: key ? { "Idempotency-Key": key } : {} });

  it("POST /todo/export answers 202 at once with the job's id and where to follow it", async () => {
    const res = await submit();
    expect(res.status).toBe(202);
    const body = (await res.json()) as { job_id: string; status_url: string };
    expect(body.status_url).toBe(`/jobs/${body.job_id}`);
    expect(res.headers.get("location")).toBe(body.status_url);

    const status = await app.request(body.status_url);
    expect(status.status).toBe(200);
    const job = (await status.json()) as JobView;
    expect(job).toMatchObject({ id: body.job_id, state: "waiting", attempts: 0, max_attempts: 3 });
    expect(job.result_url).toBeNull();
  });

  it("the same Idempotency-Key twice gives one job, not two", async () => {
    const first = (await (await submit("same-key")).json()) as { job_id: string };
    const second = (await (await submit("same-key")).json()) as { job_id: string };
    expect(second.job_id).toBe(first.job_id);
    const other = (await (await submit("other-key")).json()) as { job_id: string };
    expect(other.job_id).not.toBe(first.job_id);
  });

  it("refuses a malformed Idempotency-Key or inline flag with 400", async () => {
    const res = await submit("has spaces/and slashes");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/Idempotency-Key/);
    expect((await app.request("/todo/export?inline=yes", { method: "POST" })).status).toBe(400);
  });

  it("an unknown or malformed job id is a 404, and the result of an unfinished job a 409", async () => {
    expect((await app.request("/jobs/export-never-made")).status).toBe(404);
    expect((await app.request("/jobs/../../etc/passwd")).status).toBe(404);
    expect((await app.request("/jobs/export-nope/result")).status).toBe(404);
    const { job_id } = (await (await submit()).json()) as { job_id: string };
    const res = await app.request(`/jobs/${job_id}/result`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/waiting/);
  });

  it("?inline=1 runs the same export inside the request and streams the CSV back", async () => {
    const res = await app.request("/todo/export?inline=1", { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
    const newestFirst = await store.listBefore(user.id, null, 100);
    expect(rows.slice(1).map((row) => row[0])).toEqual(newestFirst.map((todo) => todo.id));
    // a formula is defused, everything else comes back as it was written
    expect(
      rows
        .slice(1)
        .map((row) => row[1])
        .sort(),
    ).toEqual(["'=1+1", "first", 'second, with "quotes"']);
  });

  it("another user's job is a 404, and the same Idempotency-Key from another user is another job", async () => {
    const { job_id } = (await (await submit("shared-key")).json()) as { job_id: string };
    expect((await app.request(`/jobs/${job_id}`)).status).toBe(200);
    for (const path of [`/jobs/${job_id}`, `/jobs/${job_id}/result`]) {
      const res = await other.request(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({
        error: { status: 404, message: `no export job with id ${JSON.stringify(job_id)}` },
      });
    }
    const theirs = await other.request("/todo/export", {
      method: "POST",
      headers: { "Idempotency-Key": "shared-key" },
    });
    expect(theirs.status).toBe(202);
    expect(((await theirs.json()) as { job_id: string }).job_id).not.toBe(job_id);
  });

  it("answers 503 at once while Redis is down, and recovers when it is back", async () => {
    await redis.kill!();
    const started = Date.now();
    const res = await submit();
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/unavailable/);
    expect((await app.request(`/jobs/export-${user.id}-same-key`)).status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000); // fail fast, not a hang until Redis returns

    await redis.start!();
    let status = 0;
    for (let i = 0; i < 100 && status !== 202; i++) {
      status = (await submit()).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(202);
    // persistence on: the job made before the outage is still there
    expect((await app.request(`/jobs/export-${user.id}-same-key`)).status).toBe(200);
  });
});
