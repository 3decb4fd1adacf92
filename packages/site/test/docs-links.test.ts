import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createMarkdownRenderer, disposeMdItInstance } from "vitepress";
import { describe, expect, it } from "vitest";
import { docsLinks, repositoryUrl } from "../src/docs-links.js";

// a repository: docs/ with a translation in docs/zh/, a recording, and a stage's source
const root = mkdtempSync(join(tmpdir(), "zto-links-"));
const srcDir = join(root, "docs");
const files: Record<string, string> = {
  "docs/README.md": "# The learning path\n",
  "docs/zh/README.md": "# 学习路线 {#the-learning-path}\n",
  "docs/benchmarks.md": "# Benchmarks\n\n## The article's steps, side by side\n\n## The numbers\n",
  "docs/zh/benchmarks.md": "# 基准测试\n\n## 原文的各步 {#the-article-s-steps-side-by-side}\n",
  "docs/recordings/05-pairs.txt": "recorded\n",
  "stages/05-cluster/src/primary.ts": "export {};\n",
};
for (const [file, text] of Object.entries(files)) {
  mkdirSync(dirname(join(root, file)), { recursive: true });
  writeFileSync(join(root, file), text);
}

async function render(
  markdown: string,
  { page = "docs/05-cluster.md", repository = undefined as string | undefined } = {},
) {
  disposeMdItInstance(); // VitePress keeps one renderer per process: this one has other options
  const md = await createMarkdownRenderer(srcDir, {
    config: (md) => docsLinks(md, { srcDir, root, translations: ["zh"], repository }),
  });
  return md.render(markdown, { path: join(root, page), relativePath: page.slice(5), cleanUrls: true });
}

describe("links written for the repository host, on the site", () => {
  it("without a repository address, show a linked file's path from the root as code, not a dead link", async () => {
    const html = await render(
      "See [`src/primary.ts`](../stages/05-cluster/src/primary.ts) and [stage 05](../stages/05-cluster).",
    );
    expect(html).toBe(
      "<p>See <code>stages/05-cluster/src/primary.ts</code> and stage 05 (<code>stages/05-cluster</code>).</p>\n",
    );
  });

  it("with one, link to the file or folder on the repository host", async () => {
    const html = await render(
      "[`src/primary.ts`](../stages/05-cluster/src/primary.ts#L3) [stage](../stages/05-cluster)",
      {
        repository: "https://github.com/o/zero-to-one",
      },
    );
    expect(html).toContain(
      'href="https://github.com/o/zero-to-one/blob/HEAD/stages/05-cluster/src/primary.ts#L3"',
    );
    expect(html).toContain('href="https://github.com/o/zero-to-one/tree/HEAD/stages/05-cluster"');
  });

  it("fail the build when the file they name does not exist", async () => {
    await expect(render("[gone](../stages/05-cluster/src/gone.ts)")).rejects.toThrow(
      "docs/05-cluster.md: dead link to ../stages/05-cluster/src/gone.ts (no stages/05-cluster/src/gone.ts)",
    );
    await expect(render("[gone](recordings/gone.txt)")).rejects.toThrow("dead link to recordings/gone.txt");
    await expect(render("[out](../../elsewhere.md)")).rejects.toThrow("leaves the repository");
  });

  it("keep a link to a recording in docs/, which the build copies beside the pages", async () => {
    expect(await render("[pairs](recordings/05-pairs.txt)")).toContain('href="recordings/05-pairs.txt"');
  });

  it("open the locale's home page for README.md", async () => {
    expect(await render("[path](README.md)")).toContain('href="./"');
    expect(await render("[路线](README.md)", { page: "docs/zh/05-cluster.md" })).toContain('href="./"');
  });

  it("move an anchor made by the host's rule to the site's, in English and in a translation", async () => {
    const link =
      "[steps](benchmarks.md#the-articles-steps-side-by-side) [numbers](benchmarks.md#the-numbers)";
    const english = await render(link);
    expect(english).toContain('href="./benchmarks#the-article-s-steps-side-by-side"');
    expect(english).toContain('href="./benchmarks#the-numbers"');
    const chinese = await render(link, { page: "docs/zh/05-cluster.md" });
    expect(chinese).toContain('href="./benchmarks#the-article-s-steps-side-by-side"');
    expect(
      await render("[here](#the-articles-steps-side-by-side)", { page: "docs/benchmarks.md" }),
    ).toContain('href="#the-article-s-steps-side-by-side"');
  });
});

describe("the repository's address from package.json", () => {
  it.each([
    ["github:o/r", "https://github.com/o/r"],
    ["o/r", "https://github.com/o/r"],
    ["gitlab:o/r", "https://gitlab.com/o/r"],
    [{ type: "git", url: "git+https://github.com/o/r.git" }, "https://github.com/o/r"],
    [{ url: "git@github.com:o/r.git" }, "https://github.com/o/r"],
    [{ url: "git://github.com/o/r.git" }, "https://github.com/o/r"],
    ["https://codeberg.org/o/r/", "https://codeberg.org/o/r"],
  ])("%j is %s", (field, url) => {
    expect(repositoryUrl(field)).toBe(url);
  });

  it("is undefined when there is none", () => {
    expect(repositoryUrl(undefined)).toBeUndefined();
    expect(repositoryUrl({ type: "git" })).toBeUndefined();
    expect(repositoryUrl("not a repository")).toBeUndefined();
  });
});
