import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkRecordMarkers, checkRecordings, fillRecordMarkers } from "../src/record-markers.js";
import { formatRecording, readRecordings, type Recording } from "../src/recordings.js";
import { repository } from "./fixture.js";

const EXPLAIN: Recording = {
  name: "04-explain",
  about: "the plans",
  date: "2026-11-29T10:12:33Z",
  machine: "2 cores, AMD EPYC, Linux 6.1.0, Node v20.20.2",
  revision: "1a2b3c4",
  steps: ["stages/04-index$ npm run explain"],
  output: "stages/04-index$ npm run explain\nfirst page with the index:\n  median 16 µs",
};
const RECIPES = [{ name: "04-explain", steps: [{ in: "stages/04-index", run: "npm run explain" }] }];

const chapter = (between: string) =>
  ["# 04", "", "The run:", "", "<!-- record:04-explain -->", between, "<!-- /record:04-explain -->", ""].join(
    "\n",
  );

/** docs/04-index.md holding `doc`, and the recording as `formatRecording` writes it, or `file` instead (null: none). */
function check(doc: string, file: string | null = formatRecording(EXPLAIN)) {
  const root = repository({
    "docs/04-index.md": doc,
    ...(file === null ? {} : { "docs/recordings/04-explain.txt": file }),
  });
  const recordings = readRecordings(root);
  return [
    ...checkRecordMarkers(root, ["docs/04-index.md"], recordings).failures,
    ...checkRecordings(recordings, RECIPES),
  ].map(formatFailure);
}

const filled = () => fillRecordMarkers(chapter(""), "docs/04-index.md", new Map([["04-explain", EXPLAIN]]));

describe("record markers", () => {
  it("hold the recording's output in a text block, and a line that says how, when and where", () => {
    const doc = filled();
    expect(doc).toContain(
      "```text\nstages/04-index$ npm run explain\nfirst page with the index:\n  median 16 µs\n```",
    );
    expect(doc).toContain(
      "<sub>Recorded by `npm run docs:record -- 04-explain` on 2026-11-29 10:12 UTC: 2 cores, AMD EPYC, " +
        "Linux 6.1.0, Node v20.20.2, revision 1a2b3c4 ([the recording](recordings/04-explain.txt)).</sub>",
    );
    expect(check(doc)).toEqual([]);
  });

  it("catch a recorded block edited by hand, at the line that differs", () => {
    const doc = filled().replace("median 16 µs", "median 12 µs");
    expect(check(doc)).toEqual([
      'docs/04-index.md:9: record:04-explain: differs from docs/recordings/04-explain.txt (this line should read "  median 16 µs"); ' +
        "recorded output is never edited by hand: npm run docs:record -- --fill rewrites it, npm run docs:record -- 04-explain records it again",
    ]);
  });

  it("catch a marker naming a recording that does not exist, and a marker without its partner", () => {
    expect(check(chapter("```text\nmedian 16 µs\n```"), null)).toEqual([
      "docs/04-index.md:5: record:04-explain: docs/recordings/04-explain.txt does not exist; run npm run docs:record -- 04-explain",
    ]);
    expect(check("<!-- record:04-explain -->\n```text\n```\n")).toEqual([
      "docs/04-index.md:1: <!-- record:04-explain --> has no partner: a recording sits between <!-- record:NAME --> and <!-- /record:NAME -->",
    ]);
  });

  it("catch a recording file edited by hand, even when the block was copied along", () => {
    const edited = formatRecording(EXPLAIN).replace("median 16 µs", "median 12 µs");
    const doc = fillRecordMarkers(
      chapter(""),
      "docs/04-index.md",
      new Map([["04-explain", { ...EXPLAIN, output: EXPLAIN.output.replace("16", "12") }]]),
    );
    expect(check(doc, edited)).toEqual([
      "docs/recordings/04-explain.txt:1: edited by hand: its output no longer matches its sha256; run npm run docs:record -- 04-explain",
    ]);
  });

  it("catch a recording made by other steps than its recipe has now, or by no recipe", () => {
    const other = formatRecording({ ...EXPLAIN, steps: ["stages/04-index$ npm run explain -- --old"] });
    expect(check(filled(), other)).toEqual([
      "docs/recordings/04-explain.txt:1: recorded with other steps than recipe 04-explain has now: run npm run docs:record -- 04-explain",
    ]);
    const root = repository({ "docs/recordings/gone.txt": formatRecording({ ...EXPLAIN, name: "gone" }) });
    expect(checkRecordings(readRecordings(root), RECIPES).map(formatFailure)).toEqual([
      "docs/recordings/gone.txt:1: no recipe named gone in packages/docs-check/src/recipes.ts records it",
    ]);
  });

  it("link the recording from where the document is", () => {
    const readme = fillRecordMarkers(
      chapter(""),
      "stages/04-index/README.md",
      new Map([["04-explain", EXPLAIN]]),
    );
    expect(readme).toContain("([the recording](../../docs/recordings/04-explain.txt))");
  });

  it("hold in a translation what they hold in English, linked from docs/zh, and catch a copy made as it is", () => {
    const zh = filled().replace("](recordings/", "](../recordings/");
    const root = repository({
      "docs/zh/04-index.md": zh,
      "docs/recordings/04-explain.txt": formatRecording(EXPLAIN),
    });
    const failures = (doc: string) =>
      checkRecordMarkers(root, [doc], readRecordings(root)).failures.map(formatFailure);
    expect(failures("docs/zh/04-index.md")).toEqual([]);
    expect(fillRecordMarkers(chapter(""), "docs/zh/04-index.md", new Map([["04-explain", EXPLAIN]]))).toBe(
      zh,
    );

    const copied = repository({
      "docs/zh/04-index.md": filled(),
      "docs/recordings/04-explain.txt": formatRecording(EXPLAIN),
    });
    expect(
      checkRecordMarkers(copied, ["docs/zh/04-index.md"], readRecordings(copied)).failures.map(formatFailure),
    ).toEqual([
      expect.stringMatching(
        /^docs\/zh\/04-index\.md:11: record:04-explain: differs from docs\/recordings\/04-explain\.txt \(this line should read ".*\(\[the recording\]\(\.\.\/recordings\/04-explain\.txt\)\)\.<\/sub>"\); .*npm run docs:record -- --fill rewrites it/,
      ),
    ]);
  });
});
