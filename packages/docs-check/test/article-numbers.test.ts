import { describe, expect, it } from "vitest";
import { checkArticleNumbers, wrongVariants } from "../src/article-numbers.js";
import { formatFailure } from "../src/failure.js";
import { repository } from "./fixture.js";

function check(text: string) {
  const root = repository({ "docs/page.md": text });
  return checkArticleNumbers(root, ["docs/page.md"]).map(formatFailure);
}

describe("the article's numbers", () => {
  it("are misquoted when rounded up or given decimals, with or without the thousands comma", () => {
    expect(wrongVariants(1128.72)).toEqual(
      expect.arrayContaining(["1129", "1,129", "1128.72", "1,128.72", "1128.7", "1,128.7"]),
    );
    expect(wrongVariants(1128.72)).not.toContain("1,128");
    expect(wrongVariants(43.2)).toEqual(["43.20", "43.2"]);
  });

  it("are caught in a paragraph that speaks of the article", () => {
    const text = [
      "# Page",
      "",
      "The article measured 863 requests per second with nine workers",
      "and 1,129 with meinheld; with its cache, 2993.",
      "",
      "Its index took it from 43.2 to 298.34 requests per second, as the article printed.",
    ].join("\n");
    expect(check(text)).toEqual([
      "docs/page.md:4: 1,129: the article printed 1128.72 req/s, which the docs quote as 1,128",
      "docs/page.md:4: 2993: the article printed 2992.79 req/s, which the docs quote as 2,992",
      "docs/page.md:6: 43.2: the article printed 43.2 req/s, which the docs quote as 43",
      "docs/page.md:6: 298.34: the article printed 298.34 req/s, which the docs quote as 298",
    ]);
  });

  it("pass when quoted by their whole part, and leave our own measurements alone", () => {
    const text = [
      "The article measured 43, 298, 863, 1,128, 892 and 2,992 requests per second.",
      "",
      "| scenario | req/s | p99 ms |",
      "|---|---|---|",
      "| list | 2,993 | 43.2 |",
      "",
      "The article's figures are not 11,290 or 1,129,000 either.",
    ].join("\n");
    expect(check(text)).toEqual([]);
  });
});
