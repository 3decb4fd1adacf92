import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { chainMarkdown } from "../src/article.js";
import { writeDocs } from "../src/docs.js";
import { fillMarkersIn } from "../src/markers.js";
import { readResults, type TourResults } from "../src/results.js";
import { exportMarkdownTable, exportRows, markdownTable, plainRows } from "../src/table.js";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const published = () => readResults(join(repo, "docs", "benchmarks", "results.json"));

const root = mkdtempSync(join(tmpdir(), "zto-bench-zh-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes the docs of `results` into a fresh folder; `chapters` are written first, by path. */
function docsOf(results: TourResults, chapters: Record<string, string> = {}) {
  const docs = mkdtempSync(join(root, "docs-"));
  for (const [path, text] of Object.entries(chapters)) {
    mkdirSync(dirname(join(docs, path)), { recursive: true });
    writeFileSync(join(docs, path), text);
  }
  const written = writeDocs(results, docs).map((file) => file.slice(docs.length + 1));
  const read = (path: string) => readFileSync(join(docs, path), "utf8");
  return { docs, written, read, en: read("benchmarks.md"), zh: read("zh/benchmarks.md") };
}

/** VitePress's heading slug: what an English heading's anchor is, and so every zh heading's {#anchor}. */
const slug = (heading: string) =>
  heading
    .replace(/`([^`]*)`/g, "$1")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    // eslint-disable-next-line no-control-regex -- VitePress drops control characters
    .replace(/[\u0000-\u001f]/g, "")
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "_$1")
    .toLowerCase();

/** The headings and fenced code blocks of a Markdown page, in order. */
function outline(page: string) {
  const headings: { level: number; text: string }[] = [];
  const blocks: string[] = [];
  let block: string[] | undefined;
  for (const line of page.split("\n")) {
    if (block) {
      block.push(line);
      if (line === "```") {
        blocks.push(block.join("\n"));
        block = undefined;
      }
    } else if (line.startsWith("```")) block = [line];
    else {
      const heading = /^(#{1,6}) (.*)$/.exec(line);
      if (heading) headings.push({ level: heading[1]!.length, text: heading[2]! });
    }
  }
  return { headings, blocks };
}

describe("the benchmarks page in Chinese (docs/zh/benchmarks.md)", () => {
  const r = published();
  const { written, en, zh } = docsOf(r);

  it("is written by the tour beside the English page, which stays the same", () => {
    expect(written.slice(0, 4)).toEqual([
      "benchmarks/results.json",
      "benchmarks/chart.svg",
      "benchmarks.md",
      "zh/benchmarks.md",
    ]);
    expect(en).toBe(readFileSync(join(repo, "docs", "benchmarks.md"), "utf8"));
    expect(zh).toMatch(/^# 基准测试 \{#benchmarks\}\n/);
    // the one chart, in docs/benchmarks/
    expect(zh).toContain("](../benchmarks/chart.svg)");
  });

  it("has the English page's headings, same levels and order, each anchored to the English heading's slug", () => {
    const english = outline(en).headings;
    const chinese = outline(zh).headings;
    expect(chinese.map((h) => h.level)).toEqual(english.map((h) => h.level));
    expect(chinese.map((h) => /\{#([^}]+)\}$/.exec(h.text)?.[1])).toEqual(english.map((h) => slug(h.text)));
    expect(chinese.every((h) => /[\u4e00-\u9fff]/.test(h.text))).toBe(true);
  });

  it("shows the English page's code blocks byte for byte, and the same generated tables and start-up lines", () => {
    const blocks = outline(en).blocks;
    expect(blocks).toHaveLength(4);
    expect(outline(zh).blocks).toEqual(blocks);
    expect(zh.match(/<!-- docs:run [^\n]*-->/g)).toEqual(en.match(/<!-- docs:run [^\n]*-->/g));
    expect(zh).toContain(markdownTable(r, plainRows(r.summary)));
    expect(zh).toContain(chainMarkdown(r));
    expect(zh).toContain(exportMarkdownTable(r, exportRows(r.summary)));
    for (const target of r.targets) expect(zh).toContain(`- \`${target.label}\`: \`${target.startup}\``);
  });

  it("says what the English page says of a run that differs: FerretDB, no ceiling, nothing exported, k6", () => {
    const other = published();
    other.settings.store = {
      kind: "mongo",
      product: "FerretDB",
      version: "v1.24.2",
      label: "FerretDB v1.24.2 (MongoDB wire protocol)",
      from: "throwaway",
    };
    delete other.toolCeiling;
    for (const row of other.summary) delete row.atToolCeiling;
    other.summary = other.summary.filter((row) => !row.condition);
    other.tool = { name: "k6", version: "k6 v1.0.0", why: "on PATH" };
    const { en: otherEn, zh: otherZh } = docsOf(other);
    expect(otherEn).toContain("not on MongoDB");
    expect(otherZh).toContain(
      "**阶段 03 及之后运行在 FerretDB v1.24.2 (MongoDB wire protocol) 上，不是 MongoDB**",
    );
    expect(otherZh).toContain("本次运行没有测量工具的上限");
    expect(zh).toMatch(/\| [\d,]+ ‡ \|/);
    expect(otherZh).not.toMatch(/\| [\d,]+ ‡ \|/);
    expect(otherZh).toContain("本次运行没有测量它（见下文*本次运行略去的*）。");
    expect(otherZh).not.toContain("没有安装 k6");
    expect(zh).toContain("本次运行的机器上没有安装 k6");
  });
});

describe("bench markers in the Chinese chapters (docs/zh/*.md)", () => {
  const value = "<!-- bench:value 07 list-during-exports:inline p99 -->old<!-- /bench:value -->";

  it("get the same numbers as the English chapters when the tour writes the docs", () => {
    const { written, read } = docsOf(published(), {
      "07-queue.md": `inline: ${value}\n`,
      "zh/07-queue.md": `内联：${value}\n`,
    });
    expect(written.slice(4)).toEqual(["07-queue.md", "zh/07-queue.md"]);
    const filled = /-->([^<]+)<!-- \/bench:value -->/;
    const english = filled.exec(read("07-queue.md"))?.[1];
    expect(english).toMatch(/^[\d.]+ ms$/);
    expect(filled.exec(read("zh/07-queue.md"))?.[1]).toBe(english);
    // the markers shown as an example on the page itself stay an example
    expect(read("zh/benchmarks.md")).toContain(
      "<!-- bench:value 04 list-deep-keyset rps -->…<!-- /bench:value -->",
    );
  });

  it("are filled by every command that writes markers (fillMarkersIn), in docs/ and docs/zh/ alike", () => {
    const docs = mkdtempSync(join(root, "markers-"));
    const marker = "<!-- bench:blocking-table -->\nstale\n<!-- /bench:blocking-table -->\n";
    writeFileSync(join(docs, "05-cluster.md"), marker);
    const fill = (text: string) => text.replace("stale", "| table |");
    // a docs folder without Chinese pages is filled as before
    expect(fillMarkersIn(docs, fill)).toEqual([join(docs, "05-cluster.md")]);
    expect(existsSync(join(docs, "zh"))).toBe(false);

    writeFileSync(join(docs, "05-cluster.md"), marker);
    mkdirSync(join(docs, "zh"));
    writeFileSync(join(docs, "zh", "05-cluster.md"), `# 05 {#_05}\n\n${marker}`);
    writeFileSync(join(docs, "zh", "benchmarks.md"), marker);
    expect(fillMarkersIn(docs, fill, ["benchmarks.md"])).toEqual([
      join(docs, "05-cluster.md"),
      join(docs, "zh", "05-cluster.md"),
    ]);
    expect(readFileSync(join(docs, "zh", "05-cluster.md"), "utf8")).toBe(
      "# 05 {#_05}\n\n<!-- bench:blocking-table -->\n| table |\n<!-- /bench:blocking-table -->\n",
    );
    expect(readFileSync(join(docs, "zh", "benchmarks.md"), "utf8")).toBe(marker);
  });
});
