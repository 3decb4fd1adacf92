import { describe, expect, it } from "vitest";
import { searchTokenize } from "../src/search-tokenize.js";

describe("the search's words", () => {
  it("splits English on spaces and punctuation, as MiniSearch does", () => {
    expect(searchTokenize("Cache-aside, in two levels: XFetch (stampedes).")).toEqual([
      "Cache",
      "aside",
      "in",
      "two",
      "levels",
      "XFetch",
      "stampedes",
    ]);
  });

  it("cuts Chinese into words, so a word inside a sentence can be found", () => {
    const words = searchTokenize("索引改变了什么？第一页缓存在 Redis 里");
    expect(words).toContain("索引");
    expect(words).toContain("什么");
    expect(words).toContain("Redis");
    expect(words.join("")).toBe("索引改变了什么第一页缓存在Redis里");
  });

  it("still works as VitePress sends it to the browser: as source text, on its own", () => {
    const revived = new Function(`return ${searchTokenize.toString()}`)() as typeof searchTokenize;
    expect(revived("索引改变了什么 XFetch")).toEqual(searchTokenize("索引改变了什么 XFetch"));
  });
});
