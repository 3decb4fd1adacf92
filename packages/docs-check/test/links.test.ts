import { describe, expect, it } from "vitest";
import { formatFailure } from "../src/failure.js";
import { checkLinks, pageLinks, translateLink, translateLinks } from "../src/links.js";
import { block, repository } from "./fixture.js";

/** An English chapter, its stage's file, another English page and that page's translation. */
const REPO = {
  "stages/05-cluster/src/primary.ts": "export {};\n",
  "docs/recordings/05-pairs.txt": "# recording: 05-pairs\n",
  "docs/05-cluster.md": "# 05\n\n## The numbers\n",
  "docs/03-mongo.md": "# 03\n\n## Test it\n\n## The article's steps\n",
  "docs/zh/03-mongo.md": "# 03 {#_03}\n\n## 测试 {#test-it}\n\n## 原文的步骤 {#the-article-s-steps}\n",
  "README.md": "# zero\n",
};

function check(zh: string, page = "docs/zh/05-cluster.md") {
  const root = repository({ ...REPO, [page]: zh });
  return checkLinks(root, [page]).failures.map(formatFailure);
}

describe("a translation's links", () => {
  it("resolve: zh pages by their name, files one folder deeper, anchors to the target's headings", () => {
    const zh = [
      "# 05 {#_05}",
      "",
      "见 [03](03-mongo.md#test-it)、[原文的步骤](03-mongo.md#the-article-s-steps)、[数字](#the-numbers-zh)。",
      "[`src/primary.ts`](../../stages/05-cluster/src/primary.ts)，[录制](../recordings/05-pairs.txt)，[阶段](../../stages/05-cluster/)",
      "[英文的录制](../recordings/05-pairs.txt)，<https://example.com>，[邮件](mailto:a@example.com)，[English](../05-cluster.md)",
      "",
      "## 数字 {#the-numbers-zh}",
      "",
      block("md", "[not a link](nowhere.md)"),
      "`[not a link either](nowhere.md)`",
    ].join("\n");
    expect(check(zh)).toEqual([]);
    expect(
      checkLinks(repository({ ...REPO, "docs/zh/05-cluster.md": zh }), ["docs/zh/05-cluster.md"]).links,
    ).toBe(8);
  });

  it("catch a link copied from the English page as it is, and say how it reads from docs/zh", () => {
    expect(check("[`src/primary.ts`](../stages/05-cluster/src/primary.ts)\n")).toEqual([
      "docs/zh/05-cluster.md:1: links to ../stages/05-cluster/src/primary.ts, but docs/stages/05-cluster/src/primary.ts does not exist: " +
        "the link is written as from docs/05-cluster.md; from docs/zh/05-cluster.md it is ../../stages/05-cluster/src/primary.ts",
    ]);
  });

  it("catch a link to a page not translated yet", () => {
    expect(check("见 [第 05 章](05-cluster.md)。\n", "docs/zh/README.md")).toEqual([
      "docs/zh/README.md:1: links to 05-cluster.md, but docs/zh/05-cluster.md does not exist yet: it is the translation of docs/05-cluster.md",
    ]);
  });

  it("catch an anchor the target has no heading for, and suggest the nearest", () => {
    expect(check("[步骤](03-mongo.md#the-articles-steps)\n[测试](03-mongo.md#testing)\n")).toEqual([
      "docs/zh/05-cluster.md:1: links to 03-mongo.md#the-articles-steps, but docs/zh/03-mongo.md has no heading with the anchor " +
        "#the-articles-steps (did you mean #the-article-s-steps?): anchors are VitePress's, as a translation's headings carry them ({#…})",
      "docs/zh/05-cluster.md:2: links to 03-mongo.md#testing, but docs/zh/03-mongo.md has no heading with the anchor " +
        "#testing (did you mean #test-it?): anchors are VitePress's, as a translation's headings carry them ({#…})",
    ]);
  });

  it("of README.zh-CN.md go to docs/zh and to the same files as README.md's", () => {
    expect(translateLink("docs/05-cluster.md#the-numbers", "README.md", "README.zh-CN.md")).toBe(
      "docs/zh/05-cluster.md#the-numbers",
    );
    expect(translateLink("stages/05-cluster", "README.md", "README.zh-CN.md")).toBe("stages/05-cluster");
    expect(
      check(
        "[第 03 章](docs/zh/03-mongo.md#test-it)、[第 03 章](docs/03-mongo.md#test-it)\n",
        "README.zh-CN.md",
      ),
    ).toEqual([
      "README.zh-CN.md:1: links to the English page docs/03-mongo.md: a Chinese page links to Chinese pages, here docs/zh/03-mongo.md#test-it",
    ]);
  });
});

describe("links as a translation writes them", () => {
  it("keep a page's name and anchor, and give a file one more ../", () => {
    const from = "docs/05-cluster.md";
    const to = "docs/zh/05-cluster.md";
    expect(translateLink("03-mongo.md#test-it", from, to)).toBe("03-mongo.md#test-it");
    expect(translateLink("#the-numbers", from, to)).toBe("#the-numbers");
    expect(translateLink("../stages/05-cluster/src/primary.ts", from, to)).toBe(
      "../../stages/05-cluster/src/primary.ts",
    );
    expect(translateLink("../stages/05-cluster/", from, to)).toBe("../../stages/05-cluster/");
    expect(translateLink("https://example.com/a.md", from, to)).toBe("https://example.com/a.md");
    expect(
      translateLinks("[Benchmarks](benchmarks.md); ([the recording](recordings/05-pairs.txt))", from, to),
    ).toBe("[Benchmarks](benchmarks.md); ([the recording](../recordings/05-pairs.txt))");
  });

  it("are found in text, images, reference definitions and HTML, with their line", () => {
    const page = [
      '[a](a.md "title") ![b](b.svg)',
      "",
      "[ref]: c.md",
      '<img src="d.svg"> <a href="e.md#x">e</a>',
    ].join("\n");
    expect(pageLinks(page)).toEqual([
      { line: 1, target: "a.md" },
      { line: 1, target: "b.svg" },
      { line: 3, target: "c.md" },
      { line: 4, target: "d.svg" },
      { line: 4, target: "e.md#x" },
    ]);
  });
});
