import type Database from "better-sqlite3";
import { MongoServerError, type Collection, type Db, type Document, type FindCursor } from "mongodb";

/**
 * The article's explain moment: how the database answers one user's first page, without and with
 * the index. These functions only ask; `npm run explain` prints the answers.
 */

const FIRST_PAGE = (from: string) =>
  `SELECT id, content, created_at, is_finished, finished_at FROM ${from} WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT 10`;

/** SQLite's EXPLAIN QUERY PLAN, one line per step. NOT INDEXED plans as if the index did not exist. */
export function sqlitePlans(db: Database.Database, owner = "") {
  const plan = (sql: string) =>
    db
      .prepare<[string], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
      .all(owner)
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
    WHERE owner = ? AND (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 10`,
};

/** The account with the most todos: the one whose pages the plans and timings are about. */
export function sqliteBusiestOwner(db: Database.Database) {
  return db
    .prepare<[], { owner: string; username: string | null; todos: number }>(
      `SELECT owner, (SELECT username FROM users WHERE users.id = owner) AS username, count(*) AS todos
       FROM todos WHERE owner IS NOT NULL GROUP BY owner ORDER BY todos DESC LIMIT 1`,
    )
    .get();
}

/** What MongoDB reports: the winning plan's stages and what running it examined. */
export interface MongoPlan {
  /** The winning plan's stages, outermost first, e.g. ["LIMIT", "FETCH", "IXSCAN owner_newest_first"]. */
  stages: string[];
  docsExamined: number;
  keysExamined: number;
  millis: number;
}

/**
 * What FerretDB reports instead. It keeps documents in a SQL database (SQLite or PostgreSQL) and
 * explains with that database's plan, plus which parts of the query it pushed down into the SQL;
 * the rest it does itself, over every row the SQL returns. It counts no keys or documents examined.
 */
export interface FerretDbPlan {
  ferretdb: string;
  /** e.g. ["SCAN todos_50261b0a"]: one line per step of the SQL plan. */
  sqlPlan: string[];
  pushdown: { filter: boolean; sort: boolean; limit: boolean };
}

/** The server answered, but with no plan: why. */
export interface NoPlan {
  unexplained: string;
}

export type QueryPlan = MongoPlan | FerretDbPlan | NoPlan;

const NEWEST_FIRST = { created_at: -1, _id: -1 } as const;

/** Who answers at MONGO_URL, e.g. "MongoDB 7.0.14" or "FerretDB v1.24.2": they explain differently. */
export async function mongoServer(db: Db) {
  const info = await db.admin().buildInfo();
  return info["ferretdbVersion"]
    ? `FerretDB ${String(info["ferretdbVersion"])}`
    : `MongoDB ${String(info["version"])}`;
}

/** The collection's indexes and their keys, in key order. */
export async function mongoIndexes(todos: Collection<Document>) {
  return (await todos.listIndexes().toArray()).map(({ name, key }) => ({
    name: String(name),
    key: key as Record<string, number>,
  }));
}

/** The account with the most todos, and how many: the one whose pages the plans are about. */
export async function mongoBusiestOwner(todos: Collection<Document>) {
  const [busiest] = await todos
    .aggregate<{ _id: string; todos: number }>([
      { $match: { owner: { $type: "string" } } },
      { $group: { _id: "$owner", todos: { $sum: 1 } } },
      { $sort: { todos: -1 } },
      { $limit: 1 },
    ])
    .toArray();
  return busiest && { owner: busiest._id, todos: busiest.todos };
}

/** explain("executionStats") of one owner's first page: a forced collection scan, then the normal plan. */
export async function mongoPlans(todos: Collection<Document>, owner = "") {
  const firstPage = () => todos.find({ owner }).sort(NEWEST_FIRST).limit(10);
  return {
    withoutIndex: await explain(firstPage().hint({ $natural: 1 })),
    withIndex: await explain(firstPage()),
  };
}

/** A server may refuse to explain a query it runs: FerretDB v1.24 refuses any find with a skip. */
async function explain(query: FindCursor): Promise<QueryPlan> {
  try {
    return summarize(await query.explain("executionStats"));
  } catch (error) {
    if (error instanceof MongoServerError)
      return { unexplained: `the server would not explain it: ${error.message}` };
    throw error;
  }
}

/** The parts of an explain answer that `npm run explain` prints, from MongoDB or from FerretDB. */
export function summarize(explained: Document): QueryPlan {
  const planner = (explained["queryPlanner"] ?? {}) as Document;
  const ferretdb = (explained["serverInfo"] as Document | undefined)?.["ferretdbVersion"];
  if (planner["winningPlan"]) return mongoDbPlan(planner["winningPlan"], explained["executionStats"]);
  if (typeof ferretdb === "string" && Array.isArray(planner["Plan"])) {
    return {
      ferretdb,
      // SQLite's EXPLAIN QUERY PLAN rows as FerretDB passes them on: "id=2 parent=0 notused=0 detail=SCAN t"
      sqlPlan: planner["Plan"].map((row) => String(row).replace(/^.*?\bdetail=/, "")),
      pushdown: {
        filter: explained["filterPushdown"] === true,
        sort: explained["sortPushdown"] === true,
        limit: explained["limitPushdown"] === true,
      },
    };
  }
  return { unexplained: `no plan this script can read in ${JSON.stringify(planner).slice(0, 300)}` };
}

function mongoDbPlan(winning: Document, stats: Document): MongoPlan {
  // MongoDB 7+ (the slot-based engine) nests the tree under queryPlan
  let node: Document | undefined = (winning["queryPlan"] as Document | undefined) ?? winning;
  const stages: string[] = [];
  while (node) {
    stages.push(node["indexName"] ? `${node["stage"]} ${node["indexName"]}` : String(node["stage"]));
    node =
      (node["inputStage"] as Document | undefined) ?? (node["inputStages"] as Document[] | undefined)?.[0];
  }
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

/** A page deep in one owner's list, by offset (skip) and by cursor: keys and documents each one walks. */
export async function mongoDeepPlans(todos: Collection<Document>, owner: string, depth: number) {
  const page = (filter: Document) =>
    todos
      .find({ owner, ...filter })
      .sort(NEWEST_FIRST)
      .limit(10);
  const [last] = await todos
    .find({ owner })
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
    byOffset: await explain(page({}).skip(depth)),
    byCursor: await explain(page(cursor)),
  };
}
