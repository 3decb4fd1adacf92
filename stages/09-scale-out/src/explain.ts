import { readConfigOrExit } from "@zero-to-one/server-kit";
import Database from "better-sqlite3";
import { MongoClient } from "mongodb";
import { openStoreOrExit, storeSettings } from "./open-store.js";
import {
  mongoBusiestOwner,
  mongoDeepPlans,
  mongoIndexes,
  mongoPlans,
  mongoServer,
  sqliteBusiestOwner,
  sqliteMedianMs,
  sqlitePlans,
  sqliteQueries,
  type QueryPlan,
} from "./query-plans.js";

// `npm run explain`: how the database answers GET /todo, without and with the index, for the
// account with the most todos (every list is one account's).
const config = readConfigOrExit(storeSettings);
// opening the store creates the table and the index when they are missing
const { store, description } = await openStoreOrExit(config);
await store.close();

const count = (n: number) => n.toLocaleString("en-US");
const ms = (n: number) => (n < 1 ? `${(n * 1000).toFixed(0)} µs` : `${n.toFixed(n < 10 ? 1 : 0)} ms`);
const print = (title: string, lines: string[]) =>
  console.log(`\n${title}\n${lines.map((l) => `  ${l}`).join("\n")}`);

if (config.MONGO_URL) {
  const client = await new MongoClient(config.MONGO_URL).connect();
  const todos = client.db().collection("todos");
  const busiest = await mongoBusiestOwner(todos);
  const owner = busiest?.owner ?? "";
  const total = busiest?.todos ?? 0;
  console.log(
    `${description}: ${count(total)} todos of account ${owner || "(none)"}, the one with the most, ` +
      "first page = find({owner}).sort({created_at: -1, _id: -1}).limit(10)",
  );
  if (total === 0)
    console.log("the collection is empty: run `npm run seed` first so the plans mean something");
  const server = await mongoServer(client.db());
  console.log(
    server.startsWith("FerretDB")
      ? `server: ${server}, which explains with the plan of the SQL database under it, not MongoDB's`
      : `server: ${server}`,
  );
  const indexes = await mongoIndexes(todos);
  console.log(`indexes: ${indexes.map(({ name, key }) => `${name} ${JSON.stringify(key)}`).join(", ")}`);
  const yesNo = (pushed: boolean) => (pushed ? "yes" : "no");
  const show = (plan: QueryPlan) =>
    "stages" in plan
      ? [
          `winning plan: ${plan.stages.join(" <- ")}`,
          `examined ${count(plan.keysExamined)} index keys and ${count(plan.docsExamined)} documents in ${plan.millis} ms`,
        ]
      : "sqlPlan" in plan
        ? [
            `SQL plan: ${plan.sqlPlan.join("; ")}`,
            `pushed down into the SQL: filter ${yesNo(plan.pushdown.filter)}, sort ${yesNo(plan.pushdown.sort)}, limit ${yesNo(plan.pushdown.limit)}`,
            "(FerretDB does the rest itself, over every row the SQL returns, and counts nothing examined)",
          ]
        : [`no plan: ${plan.unexplained}`];
  const first = await mongoPlans(todos, owner);
  print(
    "first page without the index (hint $natural: a collection scan, then a sort):",
    show(first.withoutIndex),
  );
  print("first page with the index owner_newest_first:", show(first.withIndex));
  if (
    JSON.stringify(first.withoutIndex) === JSON.stringify(first.withIndex) &&
    "sqlPlan" in first.withIndex
  ) {
    console.log("\nthe same plan twice: FerretDB did not act on the hint");
  }
  const deep = await mongoDeepPlans(todos, owner, Math.max(0, total - 10));
  if (deep) {
    print(`the last page by offset (skip ${count(Math.max(0, total - 10))}):`, show(deep.byOffset));
    print("the same page by cursor (before=…):", show(deep.byCursor));
  }
  await client.close();
} else {
  const db = new Database(config.DB_PATH, { readonly: true });
  const busiest = sqliteBusiestOwner(db);
  const owner = busiest?.owner ?? "";
  const total = busiest?.todos ?? 0;
  console.log(
    `${description}: ${count(total)} todos of ${busiest?.username ?? "no one"}, the account with the most`,
  );
  if (total === 0) console.log("the table is empty: run `npm run seed` first so the timings mean something");
  const plans = sqlitePlans(db, owner);
  const slowRuns = total > 100_000 ? 3 : 21;
  print("first page without the index (FROM todos NOT INDEXED):", [
    ...plans.withoutIndex,
    `median ${ms(sqliteMedianMs(db, sqliteQueries.firstPageWithoutIndex, [owner], slowRuns))}`,
  ]);
  print("first page with the index todos_owner_newest_first:", [
    ...plans.withIndex,
    `median ${ms(sqliteMedianMs(db, sqliteQueries.firstPage, [owner], 201))}`,
  ]);
  const depth = Math.max(0, total - 10);
  const last = db
    .prepare<[string, number], { created_at: number; id: string }>(
      "SELECT created_at, id FROM todos WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?",
    )
    .get(owner, Math.max(0, depth - 1));
  if (last && depth > 0) {
    print(`the last page, ${count(depth)} rows deep, with the index:`, [
      `by offset (start=${depth}): median ${ms(sqliteMedianMs(db, sqliteQueries.byOffset, [owner, depth], slowRuns))}`,
      `by cursor (before=…):    median ${ms(sqliteMedianMs(db, sqliteQueries.byCursor, [owner, last.created_at, last.id], 201))}`,
    ]);
  }
  db.close();
}
