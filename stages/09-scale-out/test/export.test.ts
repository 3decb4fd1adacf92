import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFiles } from "../src/export-files.js";
import { exportTodos } from "../src/export.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { TodoStore } from "../src/store.js";
import { parseCsv } from "./helpers.js";

const owner = "owner-a";
const someoneElse = "owner-b";

describe("the export of all of one user's todos", () => {
  let store: TodoStore;
  beforeAll(async () => {
    store = createSqliteStore(":memory:");
    for (let i = 0; i < 23; i++) {
      await store.add(owner, `todo ${i}, "quoted"`);
      await store.add(someoneElse, `not ${owner}'s ${i}`);
    }
  });
  afterAll(() => store.close());

  const drain = async (pageSize: number) => {
    let csv = "";
    let rows = 0;
    for await (const chunk of exportTodos(store, owner, pageSize)) {
      csv += chunk.csv;
      rows += chunk.rows;
    }
    return { csv, rows };
  };

  it("walks every page of the owner's todos once, newest first, whatever the page size, and no one else's", async () => {
    const all = await store.listBefore(owner, null, 1000);
    expect(all).toHaveLength(23);
    for (const pageSize of [1, 5, 23, 100]) {
      const { csv, rows } = await drain(pageSize);
      const parsed = parseCsv(csv.replace(/^\uFEFF/, ""));
      expect(rows).toBe(23);
      expect(parsed.slice(1).map((row) => row[0])).toEqual(all.map((todo) => todo.id));
    }
  });

  it("writes only a header for an empty store", async () => {
    const empty = createSqliteStore(":memory:");
    const chunks = [];
    for await (const chunk of exportTodos(empty, owner, 10)) chunks.push(chunk);
    expect(chunks).toEqual([{ csv: "\uFEFFid,content,created_at,is_finished,finished_at\r\n", rows: 0 }]);
    await empty.close();
  });
});

describe("the export folder, a folder per user", () => {
  const dir = mkdtempSync(join(tmpdir(), "zto-exports-"));
  const files = exportFiles(dir);
  const mine = join(dir, owner);

  it("shows a file under its final name only once it is whole", async () => {
    async function* failsHalfway() {
      yield "id,content\r\n";
      throw new Error("the store went away");
    }
    await expect(files.write(owner, "export-broken", failsHalfway())).rejects.toThrow("the store went away");
    expect(readdirSync(mine)).toEqual([]);
    expect(await files.open(join(owner, "export-broken.csv"))).toBeUndefined();

    async function* whole() {
      yield "a\r\n";
      yield "b\r\n";
    }
    expect(await files.write(owner, "export-ok", whole())).toEqual({
      file: join(owner, "export-ok.csv"),
      bytes: 6,
    });
    expect(readFileSync(join(mine, "export-ok.csv"), "utf8")).toBe("a\r\nb\r\n");
  });

  it("keeps each user's files in the user's own folder, and opens nothing outside EXPORT_DIR", async () => {
    async function* rows() {
      yield "theirs\r\n";
    }
    const { file } = await files.write(someoneElse, "export-ok", rows());
    expect(file).toBe(join(someoneElse, "export-ok.csv"));
    expect(readFileSync(join(mine, "export-ok.csv"), "utf8")).toBe("a\r\nb\r\n"); // not overwritten
    expect(readdirSync(dir).sort()).toEqual([owner, someoneElse]);
    writeFileSync(join(tmpdir(), "zto-outside.csv"), "secret");
    expect(await files.open(join("..", "zto-outside.csv"))).toBeUndefined();
    expect(await files.open(`${owner}/../../zto-outside.csv`)).toBeUndefined();
  });

  it("removes what a killed worker left behind when the job runs again", async () => {
    writeFileSync(join(mine, "export-retry.1234.partial"), "half");
    async function* rows() {
      yield "x\r\n";
    }
    await files.write(owner, "export-retry", rows());
    expect(readdirSync(mine).filter((name) => name.startsWith("export-retry"))).toEqual(["export-retry.csv"]);
  });

  it("sweeps exports older than the retention in every user's folder, and keeps fresh ones", async () => {
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    for (const folder of [mine, join(dir, someoneElse)]) {
      writeFileSync(join(folder, "export-old.csv"), "old");
      utimesSync(join(folder, "export-old.csv"), hourAgo, hourAgo);
    }
    expect(await files.sweep(3600_000)).toBe(2);
    expect(readdirSync(mine)).not.toContain("export-old.csv");
    expect(readdirSync(mine)).toContain("export-ok.csv");
    expect(readdirSync(join(dir, someoneElse))).toEqual(["export-ok.csv"]);
  });
});
