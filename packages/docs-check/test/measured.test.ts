import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkMeasured } from "../src/measured.js";
import { fillRecordMarkers } from "../src/record-markers.js";
import { type Recording } from "../src/recordings.js";
import { block, repository } from "./fixture.js";

const EXPLAIN: Recording = {
  name: "04-explain",
  about: "the plans",
  date: "2026-11-29T10:12:33Z",
  machine: "2 cores, AMD EPYC, Linux 6.1.0, Node v20.20.2",
  revision: "1a2b3c4",
  steps: ["stages/04-index$ npm run explain"],
  output: "first page without the index:\n  median 351 ms\nfirst page with the index:\n  median 29 µs",
};
const RECORDINGS = new Map([["04-explain", EXPLAIN]]);
const HINTS = [{ name: "04-explain", for: ["docs/04-index.md"] }];

/** The failures of docs/04-index.md holding these paragraphs, one line each (the first is line 1). */
function check(...paragraphs: string[]) {
  const root = repository({ "docs/04-index.md": paragraphs.join("\n\n") });
  return checkMeasured(root, ["docs/04-index.md"], RECORDINGS, HINTS).failures.map(formatFailure);
}

const included = fillRecordMarkers(
  "<!-- record:04-explain -->\n<!-- /record:04-explain -->",
  "docs/04-index.md",
  RECORDINGS,
);

describe("measured numbers in the docs", () => {
  it("catch a typed number: the line, the number, and what to do", () => {
    expect(check("# 04", "The first page took 146 ms without the index.")).toEqual([
      "docs/04-index.md:3: 146 ms: a measured number that no recording holds. Run npm run docs:record -- 04-explain " +
        "and quote its output (<!-- record:04-explain --> or <!-- recorded-in: 04-explain --> in this paragraph), " +
        "use a bench:value marker where the tour measures it, or leave the number out; " +
        "mark it <!-- not-measured: 146 ms is … --> if it is a setting, not a measurement",
    ]);
  });

  it("accept a number the chapter's recording holds, and catch one it does not", () => {
    expect(check(included, "Without the index: 351 ms; with it, 29 µs.")).toEqual([]);
    expect(check(included, "Without the index: 350 ms.")).toEqual([
      expect.stringMatching(
        /^docs\/04-index\.md:\d+: 350 ms: a measured number that no recording holds, not even 04-explain\. /,
      ),
    ]);
  });

  it("accept a number from a recording the paragraph names, and catch a name that has no recording", () => {
    expect(check("It took 351 ms. <!-- recorded-in: 04-explain -->")).toEqual([]);
    expect(check("It took 351 ms.", "Another paragraph. <!-- recorded-in: 04-explain -->")).toHaveLength(1);
    expect(check("It took 351 ms. <!-- recorded-in: 04-plans -->")).toEqual([
      "docs/04-index.md:1: recorded-in: 04-plans: docs/recordings/04-plans.txt does not exist; run npm run docs:record -- 04-plans",
      expect.stringMatching(/^docs\/04-index\.md:1: 351 ms: a measured number that no recording holds\. /),
    ]);
  });

  it("accept the article's numbers where a paragraph speaks of the article, and only there", () => {
    expect(check("The article measured 43 requests per second, then 298: ×7.")).toEqual([]);
    expect(check("Our server answered 43 requests per second.")).toHaveLength(1);
    expect(check("The article went to 2,993 requests per second.")).toEqual([
      expect.stringMatching(
        /^docs\/04-index\.md:1: 2,993 requests per second: a measured number that no recording holds\. /,
      ),
    ]);
  });

  it("read a number and its unit across a line break", () => {
    expect(check("It went from 298 to 863\nrequests per second on our machine.")).toEqual([
      expect.stringMatching(/^docs\/04-index\.md:1: 298 \(req\/s\): /),
      expect.stringMatching(/^docs\/04-index\.md:1: 863 requests per second: /),
    ]);
  });

  it("count a section under a heading that names the article as speaking of it", () => {
    expect(check("## What the article does", "1. **gunicorn**: 863 requests per second.")).toEqual([]);
    expect(check("## What we do", "1. **cluster**: 863 requests per second.")).toHaveLength(1);
  });

  it("leave settings alone when they are code or named by a not-measured comment", () => {
    expect(check("The cap is `100 ms`, and `wrk -d 5s` runs for five seconds.")).toEqual([]);
    expect(
      check(
        "A retry waits 2 s, then 4 s.\n<!-- not-measured: 2 s and 4 s are EXPORT_BACKOFF_MS's doubling -->",
      ),
    ).toEqual([]);
    expect(check("A retry waits 2 s, then 4 s. <!-- not-measured: 2 s is the first wait -->")).toEqual([
      expect.stringMatching(/^docs\/04-index\.md:1: 4 s: a measured number that no recording holds\. /),
    ]);
  });

  it("catch a not-measured comment that names nothing, or a number its paragraph does not state", () => {
    expect(check("It waits 2 s. <!-- not-measured: 2 s is the wait, 3 s the lock -->")).toEqual([
      "docs/04-index.md:1: not-measured: names 3 s, which this paragraph does not state",
    ]);
    expect(check("It waits. <!-- not-measured: a setting -->")).toEqual([
      "docs/04-index.md:1: not-measured: names no number; say which, e.g. <!-- not-measured: 100 ms is the cap on a write's wait -->",
    ]);
  });

  it("read a table's cells with the unit their column header names", () => {
    const table = ["| request | p99 ms | todos |", "|---|---:|---:|", "| first page | 1.3 | 10,000 |"].join(
      "\n",
    );
    expect(check(table)).toEqual([
      expect.stringMatching(
        /^docs\/04-index\.md:3: 1\.3 \(ms\): a measured number that no recording holds\. /,
      ),
    ]);
  });

  it("read output blocks, but not code, bench markers, links or generated pages", () => {
    expect(check(block("", "median 12 ms"))).toEqual([
      expect.stringMatching(/^docs\/04-index\.md:2: 12 ms: a measured number/),
    ]);
    expect(check(block("sh", "wrk -d 5s  # 5 s"))).toEqual([]);
    expect(
      check("It answers <!-- bench:value 04 list rps -->12,352<!-- /bench:value --> req/s in 2 ms."),
    ).toEqual([expect.stringMatching(/^docs\/04-index\.md:1: 2 ms: /)]);
    expect(check("See [the run](runs/5-ms.md) and <https://example.com/10ms>.")).toEqual([]);
    expect(check("<!-- Generated by the tour. -->\n\n# Benchmarks\n\n12 ms.")).toEqual([]);
  });

  it("read a translation as its English page: its units, the article's section, the chapter's recipes", () => {
    const zh = (...paragraphs: string[]) => {
      const root = repository({ "docs/zh/04-index.md": paragraphs.join("\n\n") });
      return checkMeasured(root, ["docs/zh/04-index.md"], RECORDINGS, HINTS).failures.map(formatFailure);
    };
    expect(
      zh("## 原文做了什么 {#what-the-article-does}", "索引让它从每秒 43 个请求变成每秒 298 个请求。"),
    ).toEqual([]);
    expect(zh(included, "没有索引时要 351 毫秒，有索引时 29 µs。")).toEqual([]);
    expect(zh("第一页在没有索引时要 146 毫秒。")).toEqual([
      expect.stringMatching(
        /^docs\/zh\/04-index\.md:1: 146 毫秒: a measured number that no recording holds\. Run npm run docs:record -- 04-explain /,
      ),
    ]);
  });
});
