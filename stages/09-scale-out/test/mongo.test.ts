import { describeOnMongo, overHttp, signUpAndIn, withDatabase } from "@zero-to-one/contract";
import { mongoChores, startServer, type ServerProcess } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createMongoStore } from "../src/mongo-store.js";
import { mongoIndexes } from "../src/query-plans.js";
import {
  REDIS_URL,
  redisUrl,
  SEED_PASSWORD,
  sessionRedis,
  signInAsSeeded,
  stageDir,
  startCluster,
  withRedis,
} from "./cluster.js";
import { parseCsv, startWorker, waitFor, type JobView, type WorkerProcess } from "./helpers.js";
import { ownedBy } from "./signed-in.js";
import { cachedApp, closeCachedApps } from "./workers.js";

const { dropDatabase, collection } = mongoChores(MongoClient);
const run = (cwd: string, args: string[], env: Record<string, string>) =>
  promisify(execFile)(process.execPath, args, { cwd, env: { ...process.env, ...env } });

/** The one owner of what the shared store suite writes: the same after a reopen. */
const owner = "65a1f0c2e4b0a1b2c3d4e5f6";

/** Owners, accounts and the owner's index on a MongoDB-wire server. */
function describeOwnersOnMongo(mongo: { url: string; server: { label: string } }) {
  describe(`09-scale-out: owners and accounts on ${mongo.server.label}`, () => {
    const dbName = `todo_test_09_owners_${process.pid}_${Date.now()}`;
    afterAll(() => dropDatabase(mongo.url, dbName));

    it("keeps each owner's todos apart on every method, and shows todos without an owner to no one", async () => {
      const { todos, close } = await collection(withDatabase(mongo.url, dbName));
      await todos.insertOne({
        content: "from before accounts",
        created_at: 1,
        is_finished: false,
        finished_at: null,
      });
      await close();
      const store = await createMongoStore(mongo.url, { dbName });
      try {
        const [a, b] = ["65a1f0c2e4b0a1b2c3d4e5a1", "65a1f0c2e4b0a1b2c3d4e5b2"];
        const mine = await store.add(a, "a's");
        await store.add(b, "b's");
        expect((await store.list(a, { start: 0, limit: 10 })).map((t) => t.content)).toEqual(["a's"]);
        expect((await store.listBefore(b, null, 10)).map((t) => t.content)).toEqual(["b's"]);
        expect(await store.count(a)).toBe(1);
        expect(await store.get(b, mine.id)).toBeUndefined();
        expect(await store.finish(b, mine.id)).toBeUndefined();
        expect(await store.remove(b, mine.id)).toBe(false);
        expect(await store.get(a, mine.id)).toEqual(mine);
      } finally {
        await store.close();
      }
    });

    it("keeps usernames unique, and never answers an account's hash but to findAccount", async () => {
      const store = await createMongoStore(mongo.url, { dbName });
      try {
        const user = await store.addUser("alice", "$scrypt$hash");
        expect(user).toEqual({
          id: expect.stringMatching(/^[0-9a-f]{24}$/),
          username: "alice",
          created_at: expect.any(Number),
        });
        expect(await store.addUser("alice", null)).toBeUndefined();
        expect(await store.getUser(user!.id)).toEqual(user);
        expect(await store.findAccount("alice")).toEqual({ ...user, password_hash: "$scrypt$hash" });
        expect(await store.setPasswordHash(user!.id, "$scrypt$new")).toBe(true);
        expect((await store.findAccount("alice"))?.password_hash).toBe("$scrypt$new");
        expect(await store.getUser("not-an-id")).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it("replaces the index of the stages before with owner_newest_first on owner, created_at, _id", async () => {
      const { todos, close } = await collection(withDatabase(mongo.url, dbName));
      await todos.createIndex({ created_at: -1, _id: -1 }, { name: "newest_first" });
      await (await createMongoStore(mongo.url, { dbName })).close();
      const indexes = await mongoIndexes(todos as never);
      await close();
      expect(indexes.map((index) => index.name)).not.toContain("newest_first");
      const index = indexes.find(({ name }) => name === "owner_newest_first");
      // key order matters: equality on the owner first, then the order the list is read in
      expect(Object.entries(index?.key ?? {})).toEqual([
        ["owner", 1],
        ["created_at", -1],
        ["_id", -1],
      ]);
    });

    it("npm run explain plans the first page of the account with the most todos, on its index", async () => {
      const url = withDatabase(mongo.url, `${dbName}_explain`);
      const env = { MONGO_URL: url, REDIS_URL, SEED_PASSWORD };
      try {
        await run(stageDir, ["dist/seed.js", "--count", "300"], env);
        const { stdout } = await run(stageDir, ["dist/explain.js"], env);
        expect(stdout).toMatch(
          /: 300 todos of account [0-9a-f]{24}, the one with the most, first page = find\(\{owner\}\)/,
        );
        expect(stdout).toContain('owner_newest_first {"owner":1,"created_at":-1,"_id":-1}');
        expect(stdout).toContain("first page with the index owner_newest_first:");
        expect(stdout).not.toMatch(/NaN|undefined|\[object /);
      } finally {
        await dropDatabase(mongo.url, `${dbName}_explain`);
      }
    }, 60_000);
  });
}

/** The queue with its todos on MongoDB: `npm run seed`, the API and `npm run worker` all with MONGO_URL. */
function describeExportOnMongo(mongo: { url: string; server: { label: string } }) {
  describe(`09-scale-out: an export through the queue, todos on ${mongo.server.label}`, () => {
    const dbName = `todo_test_09_export_${process.pid}_${Date.now()}`;
    const url = withDatabase(mongo.url, dbName);
    const exportDir = mkdtempSync(join(tmpdir(), "zto-09-mongo-exports-"));
    const env = {
      MONGO_URL: url,
      REDIS_URL: redisUrl!,
      SESSION_REDIS_URL: sessionRedis.REDIS_URL,
      EXPORT_DIR: exportDir,
      SEED_PASSWORD,
    };
    let api: ServerProcess | undefined;
    let worker: WorkerProcess | undefined;
    afterAll(async () => {
      await worker?.stop();
      expect(await api?.stop(), api?.output()).toBe(0);
      await dropDatabase(mongo.url, dbName);
      rmSync(exportDir, { recursive: true, force: true });
    });

    it("a worker exports every todo of the user once, newest first, page by page, and no one else's", async () => {
      await run(stageDir, ["dist/seed.js", "--count", "250"], env);
      await run(stageDir, ["dist/seed.js", "--count", "30", "--user", "someone-else"], env);
      api = await startServer({ cwd: stageDir, env: { ...env, WORKERS: "1" } });
      worker = await startWorker({ ...env, EXPORT_PAGE_SIZE: "40" });
      const headers = await signInAsSeeded(overHttp(api.url));

      const submitted = await fetch(`${api.url}/todo/export`, { method: "POST", headers });
      expect(submitted.status).toBe(202);
      const { job_id } = (await submitted.json()) as { job_id: string };
      const job = await waitFor(`export ${job_id} to finish`, async () => {
        const view = (await (await fetch(`${api!.url}/jobs/${job_id}`, { headers })).json()) as JobView;
        return view.state === "completed" || view.state === "failed" ? view : undefined;
      });
      expect(job, worker.output()).toMatchObject({ state: "completed", progress: { rows: 250, total: 250 } });

      const res = await fetch(`${api.url}/jobs/${job_id}/result`, { headers });
      expect(res.status).toBe(200);
      const rows = parseCsv((await res.text()).replace(/^\uFEFF/, ""));
      const me = (await (await fetch(`${api.url}/me`, { headers })).json()) as { id: string };
      const { todos, close } = await collection(url);
      const newestFirst = await todos.find({ owner: me.id }).sort({ created_at: -1, _id: -1 }).toArray();
      await close();
      expect(rows.slice(1).map((row) => row[0])).toEqual(newestFirst.map((doc) => doc._id.toHexString()));
    }, 60_000);
  });
}

await withRedis("09-scale-out on MongoDB", () =>
  describeOnMongo("09-scale-out", {
    level: 4,
    tag: "09",
    openStore: async (url, dbName) => ownedBy(await createMongoStore(url, { dbName }), owner),
    app: (view) => cachedApp(view, redisUrl),
    signIn: signUpAndIn(),
    startServer: (mongoUrl) => startCluster({ MONGO_URL: mongoUrl }),
    served: "MongoDB, 2 workers with a pool each",
    startUpLine: /store: mongo at .*, 2 workers/,
    dropDatabase,
    also: (mongo) => {
      describeOwnersOnMongo(mongo);
      describeExportOnMongo(mongo);
    },
    closeApps: closeCachedApps,
  }),
);
