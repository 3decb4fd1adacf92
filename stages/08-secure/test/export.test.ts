import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFiles } from "../src/export-files.js";
import { exportTodos } from "../src/export.js";
import { createSqliteStore } from "../src/sqlite-store.js";
import type { TodoStore } from "../src/store.js";
import { parseCsv } from "./helpers.js";

describe("the export of all todos", () => {
  let store: TodoStore;
  beforeAll(async () => {
    store = createSqliteStore(":memory:");
    for (let i = 0; i < 23; i++) await store.add(`todo ${i}, "quoted"`);
  });
  afterAll(() => store.close());

  const drain = async (pageSize: number) => {
    let csv = "";
    let rows = 0;
    for await (const chunk of exportTodos(store, pageSize)) {
      csv += chunk.csv;
      rows += chunk.rows;
    }
    return { csv, rows };
  };

  it("walks every page once, newest first, whatever the page size", async () => {
    const all = await store.listBefore(null, 1000);
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
    for await (const chunk of exportTodos(empty, 10)) chunks.push(chunk);
    expect(chunks).toEqual([{ csv: "\uFEFFid,content,created_at,is_finished,finished_at\r\n", rows: 0 }]);
    await empty.close();
  });
});

describe("the export folder", () => {
  const dir = mkdtempSync(join(tmpdir(), "zto-exports-"));
  const files = exportFiles(dir);

  it("shows a file under its final name only once it is whole", async () => {
    async function* failsHalfway() {
      yield "id,content\r\n";
      throw new Error("the store went away");
    }
    await expect(files.write("export-broken", failsHalfway())).rejects.toThrow("the store went away");
    expect(readdirSync(dir)).toEqual([]);
    expect(await files.open("export-broken.csv")).toBeUndefined();

    async function* whole() {
      yield "a\r\n";
      yield "b\r\n";
    }
    expect(await files.write("export-ok", whole())).toEqual({ file: "export-ok.csv", bytes: 6 });
    expect(readFileSync(join(dir, "export-ok.csv"), "utf8")).toBe("a\r\nb\r\n");
  });

  it("removes what a killed worker left behind when the job runs again", async () => {
    writeFileSync(join(dir, "export-retry.1234.partial"), "half");
    async function* rows() {
      yield "x\r\n";
    }
    await files.write("export-retry", rows());
    expect(readdirSync(dir).filter((name) => name.startsWith("export-retry"))).toEqual(["export-retry.csv"]);
  });

  it("sweeps exports older than the retention and keeps fresh ones", async () => {
    writeFileSync(join(dir, "export-old.csv"), "old");
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(join(dir, "export-old.csv"), hourAgo, hourAgo);
    expect(await files.sweep(3600_000)).toBe(1);
    expect(readdirSync(dir)).not.toContain("export-old.csv");
    expect(readdirSync(dir)).toContain("export-ok.csv");
  });
});
