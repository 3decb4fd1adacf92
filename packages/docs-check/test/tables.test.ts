import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkTables } from "../src/tables.js";
import { repository, write } from "./fixture.js";

const STORE = "export const store = new Map<string, string>();\n";

/** Two stages: 02-memory adds input.ts, changes app.ts and drops todos.ts; store.ts is carried. */
const STAGES = {
  ".gitignore": "node_modules/\ndist/\n.data/\n*.local\n",
  "stages/01-hello/package.json":
    '{ "name": "@zero-to-one/stage-01-hello", "scripts": { "start": "node dist/server.js" } }\n',
  "stages/01-hello/README.md": "# 01\n",
  "stages/01-hello/src/app.ts": "export const app = 1;\n",
  "stages/01-hello/src/server.ts": 'console.log("stage 01-hello listening");\n',
  "stages/01-hello/src/store.ts": STORE,
  "stages/01-hello/src/todos.ts": "export const todos = [];\n",
  "stages/01-hello/test/app.test.ts": "// 01\n",
  "stages/02-memory/package.json":
    '{ "name": "@zero-to-one/stage-02-memory", "scripts": { "start": "node dist/server.js" } }\n',
  "stages/02-memory/README.md": "# 02\n",
  "stages/02-memory/src/app.ts": "export const app = 2;\n",
  "stages/02-memory/src/input.ts": "export const input = 2;\n",
  "stages/02-memory/src/server.ts": 'console.log("stage 02-memory listening");\n',
  "stages/02-memory/src/store.ts": STORE,
  "stages/02-memory/test/contract.test.ts": "// 02\n",
  "stages/02-memory/vitest.config.ts": "export default {};\n",
  "stages/02-memory/turbo.json": '{ "extends": ["//"] }\n',
};

const row = (file: string, note: string, stage = "02-memory") =>
  `| [\`${file}\`](../stages/${stage}/${file}) | ${note} |`;

const chapter = (...rows: string[]) =>
  ["# 02", "", "Intro.", "", "| file | what changed |", "|---|---|", ...rows, "", "More."].join("\n");

const COMPLETE = [
  row("src/app.ts", "the routes"),
  row("src/input.ts", "new: validation"),
  row("src/todos.ts", "removed: the store replaces it", "01-hello"),
];

function check(doc: string, extra: Record<string, string> = {}) {
  const root = repository({ ...STAGES, "docs/02-memory.md": doc, ...extra });
  return checkTables(root).failures.map(formatFailure);
}

describe("file tables", () => {
  it("accept a table that lists exactly the new, changed and removed files", () => {
    // README.md, test/, vitest.config.ts, turbo.json, and package.json and server.ts that differ only by the stage's name need no row
    expect(check(chapter(...COMPLETE))).toEqual([]);
  });

  it("catch a table that misses a changed file", () => {
    expect(check(chapter(COMPLETE[1]!, COMPLETE[2]!))).toEqual([
      "docs/02-memory.md:5: file table does not list src/app.ts (changed since 01-hello)",
    ]);
  });

  it("catch a table that misses a new or a removed file", () => {
    expect(check(chapter(COMPLETE[0]!))).toEqual([
      "docs/02-memory.md:5: file table does not list src/input.ts (new since 01-hello)",
      "docs/02-memory.md:5: file table does not list src/todos.ts (removed since 01-hello)",
    ]);
  });

  it("catch a table that lists a file both stages have the same", () => {
    expect(check(chapter(...COMPLETE, row("src/store.ts", "the store")))).toEqual([
      "docs/02-memory.md:10: file table lists src/store.ts, which is identical in 01-hello and 02-memory",
    ]);
  });

  it("catch a carried file that diverged: a change no row explains", () => {
    const diverged = { "stages/02-memory/src/store.ts": STORE + "store.clear();\n" };
    expect(check(chapter(...COMPLETE), diverged)).toEqual([
      "docs/02-memory.md:5: file table does not list src/store.ts (changed since 01-hello)",
    ]);
  });

  it("count a package.json or server.ts that changed beyond the stage's name", () => {
    const more = {
      "stages/02-memory/package.json":
        '{ "name": "@zero-to-one/stage-02-memory", "scripts": { "start": "node dist/server.js", "seed": "node dist/seed.js" } }\n',
    };
    expect(check(chapter(...COMPLETE), more)).toEqual([
      "docs/02-memory.md:5: file table does not list package.json (changed since 01-hello)",
    ]);
  });

  it("leave out git-ignored and built files", () => {
    const ignored = {
      "stages/02-memory/notes.local": "mine\n",
      "stages/02-memory/dist/app.js": "built\n",
      "stages/02-memory/.data/todo.db": "data\n",
    };
    expect(check(chapter(...COMPLETE), ignored)).toEqual([]);
  });

  it("see a file not yet committed as new", () => {
    const root = repository({ ...STAGES, "docs/02-memory.md": chapter(...COMPLETE) });
    write(root, { "stages/02-memory/src/cursor.ts": "export {};\n" });
    expect(checkTables(root).failures.map(formatFailure)).toEqual([
      "docs/02-memory.md:5: file table does not list src/cursor.ts (new since 01-hello)",
    ]);
  });

  it("catch a row linking to a file that does not exist, and a chapter without a table", () => {
    expect(check(chapter(...COMPLETE, row("src/gone.ts", "new")))).toEqual([
      "docs/02-memory.md:10: file table: links to stages/02-memory/src/gone.ts, which is not a file of stages/02-memory",
    ]);
    expect(check("# 02\n\nNo table.\n")).toEqual([
      'docs/02-memory.md:1: no file table (a table whose first column is headed "file") for 01-hello → 02-memory',
    ]);
  });
});

/** The same table as a translation writes it: headed 文件, its links one folder deeper. */
const zhChapter = (...rows: string[]) =>
  ["# 02", "", "简介。", "", "| 文件 | 改了什么 |", "|---|---|", ...rows, "", "更多。"].join("\n");
const zhRow = (file: string, note: string, stage = "02-memory") =>
  `| [\`${file}\`](../../stages/${stage}/${file}) | ${note} |`;
const ZH_COMPLETE = [
  zhRow("src/app.ts", "路由"),
  zhRow("src/input.ts", "新文件：校验"),
  zhRow("src/todos.ts", "删除：由 store 取代", "01-hello"),
];

describe("a translation's file table", () => {
  it("is checked against the same stage diff, links one folder deeper", () => {
    const extra = { "docs/zh/02-memory.md": zhChapter(...ZH_COMPLETE) };
    expect(check(chapter(...COMPLETE), extra)).toEqual([]);
    expect(
      checkTables(repository({ ...STAGES, "docs/02-memory.md": chapter(...COMPLETE), ...extra })).tables,
    ).toBe(2);
  });

  it("fails on its own when it falls behind the English one", () => {
    const behind = { "docs/zh/02-memory.md": zhChapter(ZH_COMPLETE[1]!, ZH_COMPLETE[2]!) };
    expect(check(chapter(...COMPLETE), behind)).toEqual([
      "docs/zh/02-memory.md:5: file table does not list src/app.ts (changed since 01-hello)",
    ]);
  });

  it("says so when its links were copied from the English page as they are", () => {
    const copied = { "docs/zh/02-memory.md": zhChapter(...ZH_COMPLETE, row("src/store.ts", "store")) };
    expect(check(chapter(...COMPLETE), copied)).toEqual([
      "docs/zh/02-memory.md:10: file table: this row links to no file of stages/02-memory or stages/01-hello (from docs/zh/ a link into the stages starts ../../)",
    ]);
    expect(check(chapter(...COMPLETE), { "docs/zh/02-memory.md": "# 02\n\n没有表。\n" })).toEqual([
      'docs/zh/02-memory.md:1: no file table (a table whose first column is headed "文件" (or "file")) for 01-hello → 02-memory',
    ]);
  });
});
