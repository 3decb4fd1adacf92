import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkQuotes } from "../src/quotes.js";
import { block, repository } from "./fixture.js";

const APP = [
  'import { Hono } from "hono";',
  "",
  "export function createApp() {",
  "  const app = new Hono();",
  "",
  '  app.get("/index", (c) => c.json({ msg: "hello world" }));',
  "",
  "  app.notFound(notFound(app));",
  "  return app;",
  "}",
  "",
].join("\n");

/** The failures of one chapter, docs/01.md, quoting stages/01-hello/src/app.ts (APP). */
function check(chapter: string) {
  const root = repository({ "stages/01-hello/src/app.ts": APP, "docs/01.md": chapter });
  return checkQuotes(root, ["docs/01.md"]).failures.map(formatFailure);
}

const named = (...lines: string[]) => block("ts", "// stages/01-hello/src/app.ts", ...lines);

describe("quotes", () => {
  it("accept consecutive lines of the named file, shifted left as a whole, trailing spaces ignored", () => {
    expect(check(named('app.get("/index", (c) => c.json({ msg: "hello world" }));   '))).toEqual([]);
    expect(check(named("export function createApp() {", "  const app = new Hono();"))).toEqual([]);
  });

  it("accept parts split by elision lines, in the file's order", () => {
    const chapter = named(
      "export function createApp() {",
      "  // …",
      '  app.get("/index", (c) => c.json({ msg: "hello world" }));',
      "…",
      "}",
    );
    expect(check(chapter)).toEqual([]);
  });

  it("catch a drifted quote: the chapter's line, the file and the first line that does not match", () => {
    const chapter = [
      "# 01",
      "",
      named(
        "export function createApp() {",
        "  const app = new Hono();",
        '  app.get("/index", (c) => c.text("hello world"));',
      ),
    ].join("\n");
    expect(check(chapter)).toEqual([
      'docs/01.md:7: stages/01-hello/src/app.ts: not in the file: app.get("/index", (c) => c.text("hello world"));',
    ]);
  });

  it("catch lines glued together that are apart in the file", () => {
    expect(check(named("export function createApp() {", "  app.notFound(notFound(app));"))).toEqual([
      "docs/01.md:4: stages/01-hello/src/app.ts: in the file, but not right after the line above it (mark a gap with an elision line, // …): app.notFound(notFound(app));",
    ]);
  });

  it("catch parts quoted out of order", () => {
    expect(check(named("  return app;", "// …", "  const app = new Hono();"))).toEqual([
      "docs/01.md:5: stages/01-hello/src/app.ts: in the file, but above the part quoted before it: const app = new Hono();",
    ]);
  });

  it("keep the indentation within a part: only the part as a whole may move", () => {
    expect(check(named("export function createApp() {", "const app = new Hono();"))).toEqual([
      "docs/01.md:4: stages/01-hello/src/app.ts: indented differently in the file: const app = new Hono();",
    ]);
  });

  it("catch a block that names a file that does not exist", () => {
    expect(check(block("ts", "// stages/01-hello/src/gone.ts", "export {};"))).toEqual([
      "docs/01.md:2: stages/01-hello/src/gone.ts does not exist",
    ]);
  });

  it("want every ts or lua block to name its file, unless it says it is a sketch", () => {
    expect(check(block("ts", "const app = new Hono();"))).toEqual([
      "docs/01.md:1: a ts block that names no file: start it with the file it quotes (// stages/…), or with // sketch: if it quotes none",
    ]);
    expect(check(block("lua", "return 1"))).toHaveLength(1);
    expect(
      check(
        block(
          "ts",
          "// sketch: what the route would look like with secureHeaders()",
          "app.use(secureHeaders());",
        ),
      ),
    ).toEqual([]);
    expect(check(block("sh", "npm test"))).toEqual([]);
  });

  it("check blocks inside list items, and name files with the comment of their language", () => {
    const chapter = ["- the route:", "", "  " + named("  return app;").split("\n").join("\n  ")].join("\n");
    expect(check(chapter)).toEqual([]);
    const lua = block("lua", "-- stages/01-hello/src/app.ts", "  return app;", "-- …", "}");
    expect(check(lua)).toEqual([]);
  });
});
