// The real repository against its docs: these fail whenever a chapter drifts from the code.
import { describe, expect, it } from "vitest";
import { checkArticleNumbers } from "../src/article-numbers.js";
import { LESSON_RULE } from "../src/changes.js";
import { formatFailure } from "../src/failure.js";
import { checkQuotes } from "../src/quotes.js";
import { documents } from "../src/repository.js";
import { checkTables } from "../src/tables.js";

const root = new URL("../../..", import.meta.url).pathname;
const docs = documents(root);

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
