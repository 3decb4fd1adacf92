import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { learningOrder, localePages, markdownFiles, pageLink, pageTitle } from "../src/pages.js";
import { docs } from "./built-site.js";

const asides = { "01-hello.md": ["framework-cost.md"] };

describe("the learning order of the sidebar", () => {
  it("goes learning path, before you start, chapters by number with their asides, benchmarks, the rest", () => {
    const files = [
      "02-memory.md",
      "01-hello.md",
      "README.md",
      "benchmarks.md",
      "before-you-start.md",
      "framework-cost.md",
      "glossary.md",
    ].sort();
    expect(learningOrder(files, { asides })).toEqual([
      ["README.md"],
      ["before-you-start.md"],
      ["01-hello.md", "framework-cost.md"],
      ["02-memory.md"],
      ["benchmarks.md"],
      ["glossary.md"],
    ]);
  });

  it("takes in a new chapter by its file name alone", () => {
    const order = learningOrder(["07-queue.md", "08-secure.md", "09-scale-out.md", "benchmarks.md"]).flat();
    expect(order).toEqual(["07-queue.md", "08-secure.md", "09-scale-out.md", "benchmarks.md"]);
  });

  it("lists an aside whose chapter is missing with the other pages, rather than losing it", () => {
    expect(learningOrder(["README.md", "framework-cost.md"], { asides })).toEqual([
      ["README.md"],
      ["framework-cost.md"],
    ]);
  });

  it("names each page by its H1, without an explicit anchor or code ticks", () => {
    expect(pageTitle("intro\n# 04 · 索引 {#_04-the-index}\n## more")).toBe("04 · 索引");
    expect(pageTitle("# `dist/` and the **build**\n")).toBe("dist/ and the build");
    expect(pageTitle("no heading")).toBeUndefined();
  });

  it("links README.md as the locale's home and other pages by clean URLs", () => {
    expect(pageLink("/", "README.md")).toBe("/");
    expect(pageLink("/zh/", "README.md")).toBe("/zh/");
    expect(pageLink("/zh/", "05-cluster.md")).toBe("/zh/05-cluster");
  });

  it("lists every English page once, titled by its H1", () => {
    const pages = localePages(docs, "/", { asides });
    const listed = pages.flatMap((page) => [page, ...page.asides]);
    expect(listed.map((page) => page.file).sort()).toEqual(markdownFiles(docs));
    for (const page of listed) {
      const h1 = /^# (.+)$/m.exec(readFileSync(join(docs, page.file), "utf8"))?.[1];
      expect(page.title).toBe(h1?.replace(/`/g, ""));
    }
    expect(pages[0]).toMatchObject({ file: "README.md", link: "/" });
    expect(pages.at(-1)).toMatchObject({ file: "benchmarks.md", link: "/benchmarks" });
  });
});
