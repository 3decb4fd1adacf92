import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkParity } from "../src/parity.js";
import { block, repository } from "./fixture.js";

const RECORDED = [
  "<!-- record:04-explain -->",
  block("text", "stages/04-index$ npm run explain", "  median 29 µs"),
  "<sub>Recorded by `npm run docs:record -- 04-explain` ([the recording](recordings/04-explain.txt)).</sub>",
  "<!-- /record:04-explain -->",
].join("\n");

/** An English chapter with a heading of each level, code, a bench value, an annotation, a recording. */
const ENGLISH = [
  "# 04 · The index", // 1
  "",
  "## What the article does", // 3
  "",
  "The article measured 43 requests per second without the index.", // 5
  "",
  "## Run it", // 7
  "",
  '<!-- docs:run with="npm run stage -- 04" -->', // 9
  block("sh", "curl -i localhost:8000/index   # 200, the hello"), // 10-12
  "",
  "It answers <!-- bench:value 04 list rps -->8,744<!-- /bench:value --> req/s.", // 14
  "",
  "### What `explain` says", // 16
  "",
  RECORDED, // 18-24
  "",
  block("ts", "// stages/04-index/src/app.ts", "export const app = 1; // the app"), // 26-29
  "",
].join("\n");

const ZH_RECORDED = RECORDED.replace("](recordings/", "](../recordings/");

/** Its translation, as the conventions want it. */
const CHINESE = [
  "# 04 · 索引 {#_04-·-the-index}", // 1
  "",
  "## 原文做了什么 {#what-the-article-does}", // 3
  "",
  "原文在没有索引时测得每秒 43 个请求。", // 5
  "",
  "## 运行 {#run-it}", // 7
  "",
  '<!-- docs:run with="npm run stage -- 04" -->', // 9
  block("sh", "curl -i localhost:8000/index   # 200, the hello"), // 10-12
  "",
  "它每秒答复 <!-- bench:value 04 list rps -->8,744<!-- /bench:value --> req/s。", // 14
  "",
  "### `explain` 说了什么 {#what-explain-says}", // 16
  "",
  ZH_RECORDED, // 18-24
  "",
  block("ts", "// stages/04-index/src/app.ts", "export const app = 1; // the app"), // 26-29
  "",
].join("\n");

function check(chinese: string | undefined, english = ENGLISH, more: Record<string, string> = {}) {
  const root = repository({
    "docs/04-index.md": english,
    ...(chinese === undefined ? {} : { "docs/zh/04-index.md": chinese }),
    ...more,
  });
  return checkParity(root).failures.map(formatFailure);
}

/** CHINESE with line `line` (1-based) replaced by `lines` (none: removed). */
const edit = (line: number, ...lines: string[]) => {
  const all = CHINESE.split("\n");
  all.splice(line - 1, 1, ...lines);
  return all.join("\n");
};

describe("a translation", () => {
  it("passes with the English page's headings (anchors written out), code, markers and numbers", () => {
    expect(check(CHINESE)).toEqual([]);
  });

  it("exists for every English page, and only for one", () => {
    expect(check(undefined)).toEqual([
      "docs/04-index.md:1: has no Chinese page: translate it into docs/zh/04-index.md (its headings with their {#anchor}, its code blocks and markers as they are here)",
    ]);
    expect(
      check(CHINESE, ENGLISH, { "docs/zh/notes.md": "# 笔记 {#notes}\n", "README.zh-CN.md": "# z\n" }),
    ).toEqual([
      "docs/zh/notes.md:1: translates no page: docs/notes.md does not exist (rename it after its English page, or remove it)",
      "README.zh-CN.md:1: translates no page: README.md does not exist (rename it after its English page, or remove it)",
    ]);
  });

  it("carries each English heading's anchor, at the same level, in the same order", () => {
    expect(check(edit(7, "## 运行"))).toEqual([
      'docs/zh/04-index.md:7: heading "## 运行" has no anchor: end it with {#run-it}, the anchor of "## Run it" (docs/04-index.md:7)',
    ]);
    expect(check(edit(7, "## 运行 {#run}"))).toEqual([
      'docs/zh/04-index.md:7: heading "## 运行 {#run}": its anchor should be {#run-it}, the anchor of "## Run it" (docs/04-index.md:7)',
    ]);
    expect(check(edit(16, "## `explain` 说了什么 {#what-explain-says}"))).toEqual([
      'docs/zh/04-index.md:16: heading "## `explain` 说了什么 {#what-explain-says}" is level 2 (##), "### What `explain` says" (docs/04-index.md:16) is level 3',
    ]);
  });

  it("has no heading fewer or more than its English page", () => {
    expect(check(edit(7, "运行"))).toEqual([
      'docs/zh/04-index.md:3: no heading for "## Run it" (docs/04-index.md:7): add it after line 3, ending with {#run-it}',
    ]);
    expect(check(edit(7, "## 运行 {#run-it}", "", "### 再说一点 {#more}"))).toEqual([
      'docs/zh/04-index.md:9: heading "### 再说一点 {#more}": docs/04-index.md has no heading with the anchor more: headings correspond one to one',
    ]);
  });

  it("copies the code blocks byte for byte, comments included", () => {
    expect(check(edit(28, "export const app = 1; // 应用"))).toEqual([
      'docs/zh/04-index.md:28: this block differs from docs/04-index.md:26 (this line should read "export const app = 1; // the app"): code blocks are copied byte for byte, their comments included',
    ]);
    expect(check(edit(26, "```typescript"))).toEqual([
      "docs/zh/04-index.md:26: this block is ```typescript, docs/04-index.md:26's is ```ts",
    ]);
    expect(check(CHINESE.split("\n").slice(0, 25).join("\n"))).toEqual([
      "docs/zh/04-index.md:16: the ```ts block of docs/04-index.md:26 is missing after this line: copy it as it is",
    ]);
    expect(check(`${CHINESE}\n${block("sh", "npm test")}\n`)).toEqual([
      "docs/zh/04-index.md:31: this ```sh block is not in docs/04-index.md: code blocks are the English page's, no more, no fewer",
    ]);
  });

  it("copies the generated fragments as they are, in the same places (their numbers are theirs alone)", () => {
    expect(
      check(edit(14, "它每秒答复 <!-- bench:value 04 list rps -->8,700<!-- /bench:value --> req/s。")),
    ).toEqual([
      'docs/zh/04-index.md:14: bench marker differs from docs/04-index.md:14 (it should read "<!-- bench:value 04 list rps -->8,744<!-- /bench:value -->"): copy it from docs/04-index.md, content included',
    ]);
    expect(check(edit(9, ""))).toEqual([
      'docs/zh/04-index.md:7: annotation <!-- docs:run with="npm run stage -- 04" --> (docs/04-index.md:9) is missing after this line: copy it from docs/04-index.md, content included',
    ]);
    const noRecording = CHINESE.replace(ZH_RECORDED, "（见录制。）");
    expect(check(noRecording)).toEqual([
      "docs/zh/04-index.md:16: record marker <!-- record:04-explain --> (docs/04-index.md:18) is missing after this line: copy it from docs/04-index.md, content included",
    ]);
  });

  it("states every measured number of its English page, and no number it does not write", () => {
    expect(check(edit(5, "原文在没有索引时测得的吞吐量很低。"))).toEqual([
      "docs/zh/04-index.md:3: 43 requests per second (docs/04-index.md:5) is not stated in this section: " +
        "state every measured number of the English page with its digits and a unit (ms, 毫秒, req/s, 每秒 … 个请求, 倍 …)",
    ]);
    expect(check(edit(5, "原文在没有索引时测得每秒 43 个请求，大约 5 倍慢。"))).toEqual([
      "docs/zh/04-index.md:5: 5: docs/04-index.md writes no such number: a translation writes the English page's numbers, no others (say it in words, or leave it out)",
    ]);
  });
});
