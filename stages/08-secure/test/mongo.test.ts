import { describeMongoExplain, describeOnMongo, withDatabase } from "@zero-to-one/contract";
import { mongoChores, startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createMongoStore } from "../src/mongo-store.js";
import * as plans from "../src/query-plans.js";
import { redis, REDIS_URL, redisUrl, stageDir, startCluster, testRedis } from "./cluster.js";
import { parseCsv, startWorker, waitFor, type JobView, type WorkerProcess } from "./helpers.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const { dropDatabase, collection } = mongoChores(MongoClient);

/** The queue with its todos on MongoDB: `npm run seed`, the API and `npm run worker` all with MONGO_URL. */
function describeExportOnMongo(mongo: { url: string; server: { label: string } }) {
  if (testRedis.skipped)
    console.log(`skipped: 08-secure, an export on ${mongo.server.label}: ${testRedis.skipped}`);
  describe.skipIf(!redis)(`08-secure: an export through the queue, todos on ${mongo.server.label}`, () => {
    const dbName = `todo_test_08_export_${process.pid}_${Date.now()}`;
    const url = withDatabase(mongo.url, dbName);
    const exportDir = mkdtempSync(join(tmpdir(), "zto-08-mongo-exports-"));
    const env = { MONGO_URL: url, REDIS_URL: redisUrl!, EXPORT_DIR: exportDir };
    let api: ServerProcess | undefined;
    let worker: WorkerProcess | undefined;
    afterAll(async () => {
      await worker?.stop();
      expect(await api?.stop(), api?.output()).toBe(0);
      await dropDatabase(mongo.url, dbName);
      rmSync(exportDir, { recursive: true, force: true });
    });

    it("a worker exports every todo once, newest first, page by page", async () => {
      await promisify(execFile)(process.execPath, ["dist/seed.js", "--count", "250"], {
        cwd: stageDir,
        env: { ...process.env, ...env },
      });
      api = await startServer({ cwd: stageDir, env: { ...env, WORKERS: "1" } });
      worker = await startWorker({ ...env, EXPORT_PAGE_SIZE: "40" });

      const submitted = await fetch(`${api.url}/todo/export`, { method: "POST" });
      expect(submitted.status).toBe(202);
      const { job_id } = (await submitted.json()) as { job_id: string };
      const job = await waitFor(`export ${job_id} to finish`, async () => {
        const view = (await (await fetch(`${api!.url}/jobs/${job_id}`)).json()) as JobView;
        return view.state === "completed" || view.state === "failed" ? view : undefined;
      });
      expect(job, worker.output()).toMatchObject({ state: "completed", progress: { rows: 250, total: 250 } });

      const res = await fetch(`${api.url}/jobs/${job_id}/result`);
      expect(res.status).toBe(200);
      const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      const { todos, close } = await collection(url);
      const newestFirst = await todos.find().sort({ created_at: -1, _id: -1 }).toArray();
      await close();
      expect(rows.slice(1).map((row) => row[0])).toEqual(newestFirst.map((doc) => doc._id.toHexString()));
    }, 60_000);
  });
}

await describeOnMongo("08-secure", {
  level: 4,
  tag: "08",
  openStore: (url, dbName) => createMongoStore(url, { dbName }),
  app: (store) => cachedApp(store, redisUrl),
  // without redis-server the stage serves every page from the store and says so
  health: redisUrl ? "ok" : "degraded",
  startServer: (mongoUrl) => startCluster({ MONGO_URL: mongoUrl }),
  served: "MongoDB, 2 workers with a pool each",
  startUpLine: /store: mongo at .*, 2 workers/,
  dropDatabase,
  also: (mongo) => {
    describeMongoExplain("08-secure", {
      mongo,
      tag: "08",
      stageDir,
      collection,
      plans,
      dropDatabase,
      env: { REDIS_URL },
    });
    describeExportOnMongo(mongo);
  },
  closeApps: closeCachedApps,
});
