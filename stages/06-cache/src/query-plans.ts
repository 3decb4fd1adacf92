import type Database from "better-sqlite3";
import type { Collection, Document } from "mongodb";

/**
 * The article's explain moment: how the database answers the first page, without and with the
 * index. These functions only ask; `npm run explain` prints the answers.
 */

const FIRST_PAGE = (from: string) =>
  `SELECT id, content, created_at, is_finished, finished_at FROM ${from} ORDER BY created_at DESC, id DESC LIMIT 10`;

/** SQLite's EXPLAIN QUERY PLAN, one line per step. NOT INDEXED plans as if the index did not exist. */
export function sqlitePlans(db: Database.Database) {
  const plan = (sql: string) =>
    db
      .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all()
      .map((row) => row.detail);
  return {
    withoutIndex: plan(FIRST_PAGE("todos NOT INDEXED")),
    withIndex: plan(FIRST_PAGE("todos")),
  };
}

/** Median time of `runs` runs of a query, in milliseconds. */
export function sqliteMedianMs(db: Database.Database, sql: string, params: unknown[], runs: number) {
  const statement = db.prepare(sql);
  return median(runs, () => statement.all(...params));
}

export const sqliteQueries = {
  firstPageWithoutIndex: FIRST_PAGE("todos NOT INDEXED"),
  firstPage: FIRST_PAGE("todos"),
  byOffset: `${FIRST_PAGE("todos")} OFFSET ?`,
  byCursor: `SELECT id, content, created_at, is_finished, finished_at FROM todos
    WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 10`,
};

export interface MongoPlan {
  /** The winning plan's stages, outermost first, e.g. ["LIMIT", "FETCH", "IXSCAN newest_first"]. */
  stages: string[];
  docsExamined: number;
  keysExamined: number;
  millis: number;
}

const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

/** MongoDB's explain("executionStats") of the first page: a forced collection scan, then the normal plan. */
export async function mongoPlans(todos: Collection<Document>) {
  const firstPage = () => todos.find().sort(NEWEST_FIRST).limit(10);
  return {
    withoutIndex: summarize(await firstPage().hint({ $natural: 1 }).explain("executionStats")),
    withIndex: summarize(await firstPage().explain("executionStats")),
  };
}

export function summarize(explained: Document): MongoPlan {
  const planner = explained["queryPlanner"] as Document;
  const winning = planner["winningPlan"] as Document;
  // MongoDB 7+ (the slot-based engine) nests the tree under queryPlan
  let node: Document | undefined = (winning["queryPlan"] as Document | undefined) ?? winning;
  const stages: string[] = [];
  while (node) {
    stages.push(node["indexName"] ? `${node["stage"]} ${node["indexName"]}` : String(node["stage"]));
    node =
      (node["inputStage"] as Document | undefined) ?? (node["inputStages"] as Document[] | undefined)?.[0];
  }
  const stats = explained["executionStats"] as Document;
  return {
    stages,
    docsExamined: Number(stats["totalDocsExamined"]),
    keysExamined: Number(stats["totalKeysExamined"]),
    millis: Number(stats["executionTimeMillis"]),
  };
}

function median(runs: number, work: () => unknown): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** A page deep in the list, by offset (skip) and by cursor: keys and documents each one walks. */
export async function mongoDeepPlans(todos: Collection<Document>, depth: number) {
  const page = (filter: Document) => todos.find(filter).sort(NEWEST_FIRST).limit(10);
  const [last] = await todos
    .find()
    .sort(NEWEST_FIRST)
    .skip(Math.max(0, depth - 1))
    .limit(1)
    .toArray();
  if (!last) return undefined;
  const cursor = {
    created_at: { $lte: last["created_at"] },
    $or: [{ created_at: { $lt: last["created_at"] } }, { _id: { $lt: last._id } }],
  };
  return {
    byOffset: summarize(await page({}).skip(depth).explain("executionStats")),
    byCursor: summarize(await page(cursor).explain("executionStats")),
  };
}
