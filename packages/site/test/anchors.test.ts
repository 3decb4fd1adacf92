import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createMarkdownRenderer, disposeMdItInstance } from "vitepress";
import { describe, expect, it } from "vitest";
import { anchorPairs, headings, hostSlug, siteSlug } from "../src/anchors.js";
import { markdownFiles } from "../src/pages.js";
import { docs } from "./built-site.js";

describe("heading anchors", () => {
  it("are VitePress's for every heading of the English pages", async () => {
    disposeMdItInstance();
    const md = await createMarkdownRenderer(docs);
    for (const file of markdownFiles(docs)) {
      const markdown = readFileSync(join(docs, file), "utf8");
      const html = md.render(markdown, { path: join(docs, file), relativePath: file, cleanUrls: true });
      const ids = [...html.matchAll(/<h[1-6] id="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
      expect(ids, file).toEqual([...anchorPairs(markdown).values()]);
    }
  });

  it("follow the two rules where they differ: an apostrophe, a comma in a number, a leading digit", () => {
    expect(siteSlug("The article's steps, side by side")).toBe("the-article-s-steps-side-by-side");
    expect(hostSlug("The article's steps, side by side")).toBe("the-articles-steps-side-by-side");
    expect(siteSlug("Aside: what 1,000 connections ask of nginx")).toBe(
      "aside-what-1-000-connections-ask-of-nginx",
    );
    expect(hostSlug("Aside: what 1,000 connections ask of nginx")).toBe(
      "aside-what-1000-connections-ask-of-nginx",
    );
    expect(siteSlug("04 · The index")).toBe("_04-·-the-index");
    expect(siteSlug("Crème brûlée")).toBe("creme-brulee");
  });

  it("number repeated headings and skip what is inside code fences", () => {
    const markdown =
      "# Top\n\n## Run it\n\n```sh\n# not a heading\n```\n\n## Run it\n\n### `dist/` and the build\n";
    expect(headings(markdown)).toEqual(["Top", "Run it", "Run it", "dist/ and the build"]);
    expect([...anchorPairs(markdown)]).toEqual([
      ["top", "top"],
      ["run-it", "run-it"],
      ["run-it-1", "run-it-1"],
      ["dist-and-the-build", "dist-and-the-build"],
    ]);
  });
});
