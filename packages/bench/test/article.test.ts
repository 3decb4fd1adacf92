import { describe, expect, it } from "vitest";
import { ARTICLE_CHAIN, articleChain, chainMarkdown, chainText } from "../src/article.js";
import { type Run, summarize } from "../src/results.js";

const targets = [
  { id: "03-mongo", label: "03-mongo", kind: "stage" as const, stage: 3 },
  { id: "04-index", label: "04-index", kind: "stage" as const, stage: 4 },
  { id: "05-cluster", label: "05-cluster", kind: "stage" as const, stage: 5 },
  { id: "06-cache", label: "06-cache", kind: "stage" as const, stage: 6 },
  { id: "flask-gunicorn", label: "Flask + gunicorn (sync workers)", kind: "reference" as const, stage: 0 },
  { id: "flask-gevent", label: "Flask + gunicorn (gevent workers)", kind: "reference" as const, stage: 0 },
];
const run = (target: string, scenario: string, requestsPerSec: number, errors = 0, non2xx = 0): Run => ({
  round: 1,
  target,
  scenario,
  requests: requestsPerSec * 4,
  durationSec: 4,
  requestsPerSec,
  p50Ms: 1,
  p99Ms: 10,
  errors,
  non2xx,
});
const tour = (runs: Run[]) => ({
  targets: targets.map((t) => ({ ...t, scenarios: [], startup: "" })),
  summary: summarize(runs, targets),
});

describe("the article's steps beside ours", () => {
  const all = tour([
    run("03-mongo", "list", 400),
    run("04-index", "list", 12_000),
    run("05-cluster", "list", 15_000),
    run("flask-gunicorn", "list", 2_000),
    run("flask-gevent", "list", 2_500),
    run("05-cluster", "list-c1000", 9_000, 12, 0),
    run("06-cache", "list-c1000", 18_000),
  ]);

  it("quotes the article's figures as it printed them and divides each step by the one before", () => {
    const lines = articleChain(all);
    expect(lines.map((l) => Math.trunc(l.article.requestsPerSec))).toEqual([43, 298, 863, 1128, 892, 2992]);
    expect(lines[0]!.articleRatio).toBeUndefined();
    expect(lines[1]!.articleRatio).toBeCloseTo(298.34 / 43.2);
    expect(lines[5]!.articleRatio).toBeCloseTo(2992.79 / 892.04);
  });

  it("compares each of our rows with the row its step starts from, not always the line above", () => {
    const ratios = articleChain(all).map((l) => l.oursRatio);
    expect(ratios[0]).toBeUndefined();
    expect(ratios[1]).toBeCloseTo(30); // 04 against 03
    expect(ratios[2]).toBeCloseTo(1.25); // 05 against 04
    expect(ratios[3]).toBeCloseTo(1.25); // gevent against gunicorn's sync workers, not against stage 05
    expect(ratios[4]).toBeCloseTo(0.6); // 05 at 1,000 connections through nginx against 05 at 100
    expect(ratios[5]).toBeCloseTo(2); // 06 against 05, both at 1,000 connections
  });

  it("prints the whole part of the article's numbers, with the errors it saw, and ours beside them", () => {
    const text = chainText(all);
    expect(text).toContain("compare the ratios, not the req/s");
    expect(text).toMatch(
      /async workers \(meinheld; here gevent\)\s+1,128\s+1\.31×\s+Flask \+ gunicorn \(gevent workers\), list\s+2,500\s+1\.25×/,
    );
    expect(text).toMatch(
      /nginx in front, 1,000 connections\s+892 \(333 errors, 289 non-2xx\)\s+0\.79×\s+05-cluster, list-c1000\s+9,000 \(12 errors, 0 non-2xx\)\s+0\.60×/,
    );
    expect(chainMarkdown(all).split("\n")).toHaveLength(2 + ARTICLE_CHAIN.length);
    // a title, the header, its rule and one line per step: no blank lines between the steps
    expect(text.split("\n")).toHaveLength(3 + ARTICLE_CHAIN.length);
  });

  it("says which rows this run did not measure instead of leaving a gap or a zero", () => {
    const partial = tour([run("04-index", "list", 12_000)]);
    const lines = articleChain(partial);
    expect(lines[0]!.ours).toBeUndefined();
    expect(lines[1]!.oursRatio).toBeUndefined(); // 03 is missing, so 04's step has no ratio
    expect(chainMarkdown(partial)).toContain("| 03-mongo, list | not measured in this run | – |");
    expect(chainMarkdown(partial)).toContain(
      "| Flask + gunicorn (gevent workers), list | not measured in this run | – |",
    );
  });
});
