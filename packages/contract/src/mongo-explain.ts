import type { MongoServerInfo } from "@zero-to-one/test-kit";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withDatabase } from "./on-mongo.js";

/** A plan as the stage's query-plans.ts summarizes it: MongoDB's, FerretDB's, or why there is none. */
export interface PlanLike {
  stages?: string[];
  docsExamined?: number;
  keysExamined?: number;
  ferretdb?: string;
  sqlPlan?: string[];
  pushdown?: { filter: boolean; sort: boolean; limit: boolean };
  unexplained?: string;
}

export interface MongoExplainOptions<Todos> {
  /** The server the suite runs on (describeOnMongo's `also` hands it over). */
  mongo: { url: string; server: MongoServerInfo };
  /** A short tag for this stage's throwaway database name, e.g. "05". */
  tag: string;
  /** The stage folder, built: `npm run seed` and `npm run explain` run from its dist/. */
  stageDir: string;
  /** The `todos` collection at `url` (a database in its path), through the stage's own driver. */
  collection: (url: string) => Promise<{ todos: Todos; close: () => Promise<void> }>;
  /** The stage's src/query-plans.ts. */
  plans: {
    mongoIndexes: (todos: Todos) => Promise<{ name: string; key: Record<string, number> }[]>;
    mongoPlans: (todos: Todos) => Promise<{ withoutIndex: PlanLike; withIndex: PlanLike }>;
    mongoDeepPlans: (
      todos: Todos,
      depth: number,
    ) => Promise<{ byOffset: PlanLike; byCursor: PlanLike } | undefined>;
  };
  /** Drops database `dbName` on the server at `url`. */
  dropDatabase: (url: string, dbName: string) => Promise<void>;
  /** Extra environment for the scripts, e.g. the throwaway REDIS_URL whose cache the seed invalidates. */
  env?: Record<string, string>;
}

const SEEDED = 300;
const DEPTH = SEEDED - 10;

const runNode = async (cwd: string, args: string[], env: Record<string, string>) => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
};

/**
 * Chapter 04's explain moment on a MongoDB-wire server: the index the store creates, what
 * `npm run explain` prints, and the stage's summaries of the server's own explain answers. Only a
 * real MongoDB shows an index scan with counts (FerretDB explains with its SQL plan); the tests that
 * need one are skipped elsewhere, and their names and a `skipped:` line say on which server.
 */
export function describeMongoExplain<Todos>(label: string, options: MongoExplainOptions<Todos>) {
  const { mongo, tag, stageDir, collection, plans, dropDatabase } = options;
  const { server } = mongo;
  const onMongoDB = server.product === "MongoDB";
  const onServer = `${server.product} ${server.version}`;
  const needsMongoDB = onMongoDB ? "" : ` (needs a real MongoDB; this run is on ${onServer})`;
  if (!onMongoDB)
    console.log(`skipped: ${label}, the query plans only a real MongoDB shows: this run is on ${onServer}`);

  describe(`${label}: npm run explain on ${server.label}`, () => {
    const dbName = `todo_test_${tag}_explain_${process.pid}_${Date.now()}`;
    const url = withDatabase(mongo.url, dbName);
    const env = { ...options.env, MONGO_URL: url };
    let todos: Todos;
    let close: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      // the learner's own command: it opens the store (which creates the index) and seeds
      const seeded = await runNode(stageDir, ["dist/seed.js", "--count", String(SEEDED)], env);
      expect(seeded.code, seeded.stdout + seeded.stderr).toBe(0);
      ({ todos, close } = await collection(url));
    });
    afterAll(async () => {
      await close?.();
      await dropDatabase(mongo.url, dbName);
    });

    it("the store has created the index newest_first on created_at, then _id, both descending", async () => {
      const index = (await plans.mongoIndexes(todos)).find(({ name }) => name === "newest_first");
      // key order matters: an index on (_id, created_at) could not serve this sort
      expect(Object.entries(index?.key ?? {})).toEqual([
        ["created_at", -1],
        ["_id", -1],
      ]);
    });

    it("npm run explain names the server, lists the index and prints a plan for each query", async () => {
      const explained = await runNode(stageDir, ["dist/explain.js"], env);
      expect(explained.code, explained.stdout + explained.stderr).toBe(0);
      const out = explained.stdout;
      expect(out).toContain(`: ${SEEDED} todos, first page = find()`);
      expect(out.split("\n")).toContainEqual(expect.stringMatching(/^server: /));
      expect(out).toContain(`\nserver: ${server.product} ${server.version}`);
      expect(out).toContain('newest_first {"created_at":-1,"_id":-1}');
      for (const title of [
        "first page without the index",
        "first page with the index",
        "by offset",
        "by cursor",
      ]) {
        expect(out).toContain(title);
      }
      expect(out).not.toMatch(/NaN|undefined|\[object /);
      // MongoDB: a winning plan each; FerretDB: a SQL plan for each query it would explain
      const plansShown = out.match(onMongoDB ? /^ {2}winning plan: \S/gm : /^ {2}SQL plan: \S/gm) ?? [];
      expect(plansShown.length).toBeGreaterThanOrEqual(onMongoDB ? 4 : 3);
    });

    it(`reads ${server.product}'s own kind of plan from each of its explain answers`, async () => {
      const first = await plans.mongoPlans(todos);
      const deep = await plans.mongoDeepPlans(todos, DEPTH);
      expect(deep).toBeDefined();
      const expectPlan = (plan: PlanLike) => {
        if (onMongoDB) {
          expect(plan).toMatchObject({ stages: expect.arrayContaining([expect.any(String)]) });
          expect(Number.isFinite(plan.docsExamined) && Number.isFinite(plan.keysExamined)).toBe(true);
        } else {
          expect(plan).toEqual({
            ferretdb: server.version,
            sqlPlan: expect.arrayContaining([expect.stringMatching(/^(?!.*detail=)\S/)]),
            pushdown: { filter: expect.any(Boolean), sort: expect.any(Boolean), limit: expect.any(Boolean) },
          });
        }
      };
      expectPlan(first.withoutIndex);
      expectPlan(first.withIndex);
      expectPlan(deep!.byCursor);
      // FerretDB v1.24 will not explain a find with a skip: the summary says why instead of failing
      if (deep!.byOffset.unexplained === undefined) expectPlan(deep!.byOffset);
      else expect(deep!.byOffset.unexplained).toMatch(/^the server would not explain it: \S/);
    });

    it.skipIf(!onMongoDB)(
      `the first page walks IXSCAN newest_first over 10 documents; hinted $natural, a COLLSCAN over all ${SEEDED}${needsMongoDB}`,
      async () => {
        const { withIndex, withoutIndex } = await plans.mongoPlans(todos);
        expect(withIndex.stages).toContain("IXSCAN newest_first");
        expect(withIndex.docsExamined).toBe(10);
        expect(withoutIndex.stages).toContain("COLLSCAN");
        expect(withoutIndex.docsExamined).toBe(SEEDED);
      },
    );

    it.skipIf(!onMongoDB)(
      `a page ${DEPTH} deep by cursor reads a few index keys; by offset, every key above it${needsMongoDB}`,
      async () => {
        const { byOffset, byCursor } = (await plans.mongoDeepPlans(todos, DEPTH))!;
        expect(byCursor.stages).toContain("IXSCAN newest_first");
        expect(byCursor.keysExamined).toBeLessThan(50);
        expect(byOffset.keysExamined).toBeGreaterThanOrEqual(DEPTH);
      },
    );
  });
}
