import Database from "better-sqlite3";
import { describeSqliteFile } from "@zero-to-one/contract";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { seededTodos } from "../src/seed-data.js";
import { createSqliteStore } from "../src/sqlite-store.js";

describeSqliteFile("03-mongo", {
  level: 3,
  open: createSqliteStore,
  seededTodos,
  app: (store) => createApp({ store }),
});

describe("03-mongo: what the SQLite store does not have yet", () => {
  const dir = mkdtempSync(join(tmpdir(), "zto-03-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has no index on created_at yet: every page sorts the whole table (the lesson of stage 04)", async () => {
    const path = join(dir, "plan.db");
    await createSqliteStore(path).close();
    const db = new Database(path, { readonly: true });
    const plan = db
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT * FROM todos ORDER BY created_at DESC, id DESC LIMIT 10",
      )
      .all()
      .map((row) => row.detail);
    db.close();
    expect(plan).toContain("USE TEMP B-TREE FOR ORDER BY");
  });
});
