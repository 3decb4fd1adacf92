import { overHttp, signUpAndIn, withDatabase } from "@zero-to-one/contract";
import {
  mongoChores,
  startServer,
  startTestMongo,
  startTestRedis,
  type ServerProcess,
} from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { stageDir } from "./helpers.js";

/**
 * The read/write split over HTTP: MONGO_URL and MONGO_READ_URL are two databases of one throwaway
 * MongoDB-wire server, the second filled only when a test copies documents into it (a replica as
 * far behind as the test wants).
 */
const { dropDatabase, collection } = mongoChores(MongoClient);
const mongo = await startTestMongo();
const redis = mongo.skipped ? undefined : await startTestRedis({ requirePassword: true });
const skipped = mongo.skipped ?? redis?.skipped;
if (skipped) console.log(`skipped: 09-scale-out, reads from a replica over HTTP: ${skipped}`);

describe.skipIf(skipped)(`09-scale-out: reads from a replica over HTTP`, () => {
  const tag = `${process.pid}_${Date.now()}`;
  const [primaryDb, replicaDb] = [`todo_test_09_primary_${tag}`, `todo_test_09_replica_${tag}`];
  let api: ServerProcess | undefined;
  afterEach(async () => {
    expect(await api?.stop(), api?.output()).toBe(0);
    api = undefined;
  });
  afterAll(async () => {
    if (mongo.url) for (const db of [primaryDb, replicaDb]) await dropDatabase(mongo.url, db);
    await redis?.redis?.stop();
    if (mongo.url !== undefined) await mongo.stop();
  });

  const start = (readUrl: string) =>
    startServer({
      cwd: stageDir,
      env: {
        MONGO_URL: withDatabase(mongo.url!, primaryDb),
        MONGO_READ_URL: readUrl,
        READ_YOUR_WRITES_MS: "1000",
        REDIS_URL: redis!.redis!.url,
        WORKERS: "1",
        HOST_NAME: "api-test-1",
        EXPORT_DIR: join(mkdtempSync(join(tmpdir(), "zto-09-replica-")), "exports"),
        RATE_LIMIT_API: "10000/1000",
      },
    });

  it("a writer reads its todo at once; after READ_YOUR_WRITES_MS its reads come from the replica", async () => {
    api = await start(withDatabase(mongo.url!, replicaDb));
    expect(api.output()).toMatch(/store: mongo at .*, reads at /);
    const auth = await signUpAndIn()(overHttp(api.url));
    const list = async () => {
      // not the first page: that one is cached; this one is read from a store on every request
      const res = await fetch(`${api!.url}/todo?limit=5`, { headers: auth });
      expect(res.status).toBe(200);
      expect(res.headers.get("x-served-by")).toBe("api-test-1");
      return ((await res.json()) as { data: { id: string }[] }).data.map((t) => t.id);
    };
    const created = await fetch(`${api.url}/todo`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ content: "read your writes" }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await list()).toEqual([id]);

    await sleep(1_200);
    expect(await list(), "the replica has no copy yet: the read went there").toEqual([]);
    const from = await collection(withDatabase(mongo.url!, primaryDb));
    const to = await collection(withDatabase(mongo.url!, replicaDb));
    await to.todos.insertMany(await from.todos.find({}).toArray());
    await Promise.all([from.close(), to.close()]);
    expect(await list()).toEqual([id]);
  }, 60_000);

  it("with the replica unreachable, the server starts and every read is served by the primary", async () => {
    api = await start("mongodb://127.0.0.1:1/nowhere");
    const auth = await signUpAndIn()(overHttp(api.url));
    const created = await fetch(`${api.url}/todo`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ content: "on the primary only" }),
    });
    const { id } = (await created.json()) as { id: string };
    await sleep(1_200); // past the window: these reads try the replica first
    for (const path of [`/todo?limit=5`, `/todo/${id}`]) {
      const res = await fetch(api.url + path, { headers: auth });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain(id);
    }
    const health = (await (await fetch(`${api.url}/healthz`)).json()) as { host: string };
    expect(health.host).toBe("api-test-1");
    expect(api.output().match(/read store unreachable/g)).toHaveLength(1);
  }, 60_000);
});
