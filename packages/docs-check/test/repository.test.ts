// The real repository against its docs: these fail whenever a chapter drifts from the code.
import { describe, expect, it } from "vitest";
import { readArticle } from "../src/article.js";
import { checkArticleNumbers } from "../src/article-numbers.js";
import { LESSON_RULE } from "../src/changes.js";
import { checkCornerQuotes } from "../src/corner-quotes.js";
import { formatFailure } from "../src/failure.js";
import { checkLinks } from "../src/links.js";
import { checkMeasured } from "../src/measured.js";
import { checkParity } from "../src/parity.js";
import { checkQuotes } from "../src/quotes.js";
import { RECIPES } from "../src/recipes.js";
import { checkRecordings, checkRecordMarkers } from "../src/record-markers.js";
import { readRecordings } from "../src/recordings.js";
import { documents } from "../src/repository.js";
import { checkTables } from "../src/tables.js";
import { chinesePages } from "../src/translations.js";

const root = new URL("../../..", import.meta.url).pathname;
const docs = documents(root);
const recordings = readRecordings(root);

describe("the repository's docs", () => {
  it("quote the code as it is", () => {
    const { failures, quotes } = checkQuotes(root, docs);
    expect(quotes).toBeGreaterThan(0);
    expect(failures.map(formatFailure)).toEqual([]);
  });

  it("list in each chapter's file table what its stage changed", () => {
    const { failures, tables } = checkTables(root);
    expect(tables).toBeGreaterThan(0);
    expect(failures.map(formatFailure), LESSON_RULE).toEqual([]);
  });

  it("quote the article's numbers by their whole part", () => {
    expect(checkArticleNumbers(root, docs).map(formatFailure)).toEqual([]);
  });
});

describe("the repository's translations", () => {
  it("keep up with their English pages: each page translated, with its headings' anchors, code, markers and numbers", () => {
    const { failures, pairs } = checkParity(root);
    expect(pairs).toBeGreaterThan(0);
    expect(failures.map(formatFailure)).toEqual([]);
  });

  it("link to pages, anchors and files that exist", () => {
    expect(checkLinks(root, chinesePages(root)).failures.map(formatFailure)).toEqual([]);
  });

  it("quote the article word for word in 「…」", ({ skip }) => {
    const article = readArticle();
    if ("skipped" in article) {
      console.log(`skipped: ${article.skipped}`);
      skip(article.skipped);
      return;
    }
    expect(checkCornerQuotes(root, chinesePages(root), article.text).failures.map(formatFailure)).toEqual([]);
  });
});

describe("the repository's recordings", () => {
  it("were made by their recipes as the recipes are now, and not edited since", () => {
    expect(recordings.size).toBeGreaterThan(0);
    expect(checkRecordings(recordings, RECIPES).map(formatFailure)).toEqual([]);
  });
});

// one test per document, so that a failure names the chapter that states a number no program wrote
describe.each(docs)("%s", (doc) => {
  it("shows recorded output exactly as recorded", () => {
    expect(checkRecordMarkers(root, [doc], recordings).failures.map(formatFailure)).toEqual([]);
  });

  it("states only measured numbers that a recording, the tour or the article holds", () => {
    expect(checkMeasured(root, [doc], recordings, RECIPES).failures.map(formatFailure)).toEqual([]);
  });
});
