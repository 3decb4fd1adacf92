import { describe, expect, it } from "vitest";
import { headings, headingText, slugify } from "../src/headings.js";
import { block } from "./fixture.js";

// Each anchor below is the id VitePress 1.6 gives the heading (its default markdown renderer).
const anchors = (markdown: string) => headings(markdown).map((h) => h.anchor);

describe("VitePress's anchors", () => {
  it("are the docs' real headings slugified: digits, code spans, punctuation, apostrophes", () => {
    const real: [string, string][] = [
      ["# 05 · Workers, supervision and nginx", "_05-·-workers-supervision-and-nginx"],
      ["### The worker: `npm run worker`", "the-worker-npm-run-worker"],
      ["## `dist/` and the build step", "dist-and-the-build-step"],
      ["## Hono and `c`", "hono-and-c"],
      ["### Aside: what 1,000 connections ask of nginx", "aside-what-1-000-connections-ask-of-nginx"],
      ["### nginx's price", "nginx-s-price"],
      ['### Which request is "the first page"', "which-request-is-the-first-page"],
      ["## GET /todo while exports run (stage 07)", "get-todo-while-exports-run-stage-07"],
      ["### Who is the client?", "who-is-the-client"],
      ["## The article's steps, side by side", "the-article-s-steps-side-by-side"],
      ["## What changed since 04", "what-changed-since-04"],
      [
        "## Starting, stopping, restarting without dropping requests",
        "starting-stopping-restarting-without-dropping-requests",
      ],
    ];
    for (const [heading, anchor] of real) expect(anchors(heading), heading).toEqual([anchor]);
  });

  it("read a heading's text as markdown-it-anchor does: links' text, no images, no HTML, no emphasis marks", () => {
    const cases: [string, string][] = [
      ["## A [link to `app.ts`](../stages/01-hello/src/app.ts) here", "a-link-to-app-ts-here"],
      ["## An ![image](chart.svg) there", "an-there"],
      [
        "## **Bold** and *em* and _under_ and a*b*c and snake_case_name",
        "bold-and-em-and-under-and-abc-and-snake-case-name",
      ],
      ["## Escaped \\*stars\\* and \\_under\\_ and \\# hash", "escaped-stars-and-under-and-hash"],
      ["## Entities &amp; &lt;tags&gt; &#169; &copy;", "entities-amp-lt-tags-gt-169-copy"],
      ["## HTML <sub>small</sub> <br/> inline", "html-small-inline"],
      ["## Ends with hashes ##", "ends-with-hashes"],
      ["## ~~struck~~ text", "struck-text"],
      ["## `` code with ` tick ``", "code-with-tick"],
      ["## <https://example.com> autolink", "https-example-com-autolink"],
      ["## Café naïve résumé", "cafe-naive-resume"],
      ["## 3.4 × faster, 0.88× of D (≈ 10%)", "_3-4-×-faster-0-88×-of-d-≈-10"],
      ["## “Curly” and ‘single’ quotes", "curly-and-single-quotes"],
      ["## C++ & C# — em dash – en dash", "c-c-—-em-dash-–-en-dash"],
      ["## 中文标题", "中文标题"],
    ];
    for (const [heading, anchor] of cases) expect(anchors(heading), heading).toEqual([anchor]);
    expect(headingText("The worker: `npm run worker`")).toBe("The worker: npm run worker");
  });

  it("take an explicit {#id}, and make a repeated anchor unique with -1, -2", () => {
    const page = [
      "## 索引改变了什么 {#what-an-index-changes}",
      "## What the article does",
      "## What the article does",
      "## What the article does",
      "## what-the-article-does",
      "### Explicit {#my-anchor}",
    ].join("\n");
    expect(anchors(page)).toEqual([
      "what-an-index-changes",
      "what-the-article-does",
      "what-the-article-does-1",
      "what-the-article-does-2",
      "what-the-article-does-3",
      "my-anchor",
    ]);
    expect(headings(page)[0]).toMatchObject({
      line: 1,
      level: 2,
      text: "索引改变了什么",
      id: "what-an-index-changes",
    });
  });

  it("leave out what is in code blocks, and keep the level and line", () => {
    const page = ["# Title", "", block("sh", "# a comment, not a heading"), "", "### Deep"].join("\n");
    expect(headings(page).map(({ line, level, anchor }) => [line, level, anchor])).toEqual([
      [1, 1, "title"],
      [7, 3, "deep"],
    ]);
  });

  it("slugify as VitePress: NFKD, no combining marks or control characters, _ before a digit", () => {
    expect(slugify("ǆℍΩ")).toBe("dzhω");
    expect(slugify("tab\tinside")).toBe("tabinside");
    expect(slugify("--Hello,  World!--")).toBe("hello-world");
    expect(slugify("404 or not")).toBe("_404-or-not");
  });
});
