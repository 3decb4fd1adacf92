import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sqliteBusiestOwner, sqlitePlans, sqliteQueries } from "../src/query-plans.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import { SEED_PASSWORD, stageDir } from "./cluster.js";

const dir = mkdtempSync(join(tmpdir(), "zto-09-plans-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const [alice, bob] = ["0f6c8a52-1d2b-4c47-9a0e-6b1f4d3e2a10", "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6"];

describe("the owner's index: every list is one owner's", () => {
  it("the first page of an owner is a search on the owner's part of the index, never a sort", async () => {
    const path = join(dir, "plans.db");
    const store = createSqliteStore(path);
    await store.insertSeeded(alice, seededTodos(2_000, 1_700_000_000), () => {});
    await store.insertSeeded(bob, seededTodos(500, 1_700_000_000), () => {});
    await store.close();
    const db = new Database(path, { readonly: true });
    const { withoutIndex, withIndex } = sqlitePlans(db, alice);
    const cursorPlan = db
      .prepare<[string, number, string], { detail: string }>(`EXPLAIN QUERY PLAN ${sqliteQueries.byCursor}`)
      .all(alice, 1_700_000_000, "x")
      .map((row) => row.detail);
    expect(sqliteBusiestOwner(db)).toEqual({ owner: alice, username: null, todos: 2_000 });
    db.close();
    expect(withoutIndex).toContain("USE TEMP B-TREE FOR ORDER BY");
    expect(withIndex).toEqual(["SEARCH todos USING INDEX todos_owner_newest_first (owner=?)"]);
    expect(cursorPlan.join("\n")).toMatch(
      /SEARCH todos USING INDEX todos_owner_newest_first \(owner=\? AND /,
    );
    expect(cursorPlan.join("\n")).not.toMatch(/TEMP B-TREE/);
  });

  it("npm run explain shows the plans and timings for the account with the most todos", () => {
    const env = { ...process.env, DB_PATH: join(dir, "explain.db"), MONGO_URL: "", SEED_PASSWORD };
    const seed = spawnSync(process.execPath, ["dist/seed.js", "--count", "3000"], {
      cwd: stageDir,
      env,
      encoding: "utf8",
    });
    expect(seed.status, seed.stderr).toBe(0);
    expect(seed.stdout).toMatch(/created the account demo with the password in SEED_PASSWORD/);
    const run = spawnSync(process.execPath, ["dist/explain.js"], { cwd: stageDir, env, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/3,000 todos of demo, the account with the most/);
    expect(run.stdout).toMatch(
      /without the index[^\n]*\n\s+SCAN todos\n\s+USE TEMP B-TREE FOR ORDER BY\n\s+median/,
    );
    expect(run.stdout).toMatch(
      /with the index todos_owner_newest_first:\n\s+SEARCH todos USING INDEX todos_owner_newest_first \(owner=\?\)\n/,
    );
    expect(run.stdout).toMatch(/by offset \(start=2990\)[\s\S]*by cursor/);
  });
});
