import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ARTICLE_VARIABLE, readArticle } from "../src/article.js";
import { checkCornerQuotes, cornerQuotes, normalizeSpace } from "../src/corner-quotes.js";
import { formatFailure } from "../src/failure.js";
import { block, repository } from "./fixture.js";

/** A few lines in the article's manner: half-width commas, Latin words glued to Chinese, a wrapped line. */
const ARTICLE = [
  "从0到1,Python Web开发的进击之路",
  "",
  "  我们关心的只需这些步骤就够了。要检验这三个步骤,最简单的方法",
  "是先写出一个hello world。",
].join("\n");

function check(page: string) {
  const root = repository({ "docs/zh/01-hello.md": page });
  return checkCornerQuotes(root, ["docs/zh/01-hello.md"], ARTICLE).failures.map(formatFailure);
}

describe("「…」 in a translation", () => {
  it("quote the article word for word, whitespace aside (a space beside Chinese, a wrapped line)", () => {
    expect(check("原文的标题是「从0到1,Python Web 开发的进击之路」。\n")).toEqual([]);
    expect(check("原文说「最简单的方法是先写出一个 hello world」，\n也说「要检验这三个\n步骤」。\n")).toEqual(
      [],
    );
  });

  it("catch words the article does not have, and say what 「」 are for", () => {
    expect(check("# 01 {#_01}\n\n它说「最简单的办法是写一个 hello world」。\n")).toEqual([
      "docs/zh/01-hello.md:3: 「最简单的办法是写一个 hello world」 is not in the article: 「…」 quote the article word for word (a phrase or a sentence); use “…” for any other quotation",
    ]);
  });

  it("catch a quote whose only difference is the width of its punctuation, and one that never closes", () => {
    expect(check("「从0到1，Python Web开发的进击之路」\n")).toEqual([
      "docs/zh/01-hello.md:1: 「从0到1，Python Web开发的进击之路」 is in the article with other punctuation (full- or half-width): copy it as the article prints it",
    ]);
    expect(check("「从0到1\n\n」\n")).toEqual([
      "docs/zh/01-hello.md:1: 「 without its 」 in the same paragraph: 「…」 quote the article, and only the article",
    ]);
  });

  it("leave code blocks alone", () => {
    expect(cornerQuotes(block("text", "「not a quote」"))).toEqual([]);
    expect(normalizeSpace(" Python  Web 开发 \n 之路 ")).toBe("Python Web开发之路");
  });
});

describe("the article", () => {
  it("is read from the file ARTICLE_TEXT names, and its absence is said in one line", () => {
    const root = repository({ "article.txt": ARTICLE });
    const path = join(root, "article.txt");
    expect(readArticle({ [ARTICLE_VARIABLE]: path })).toEqual({ path, text: ARTICLE });
    expect(readArticle({})).toEqual({
      skipped: "set ARTICLE_TEXT to the article's text file to check the 「…」 quotes",
    });
    expect(readArticle({ [ARTICLE_VARIABLE]: join(root, "gone.txt") })).toEqual({
      skipped: `the article is not at ${join(root, "gone.txt")}: set ARTICLE_TEXT to its text file to check the 「…」 quotes`,
    });
  });
});
