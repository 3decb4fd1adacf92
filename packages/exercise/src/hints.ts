import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { headings } from "@zero-to-one/docs-check/dist/headings.js";
import { parseMarkdown } from "@zero-to-one/docs-check/dist/markdown.js";
import { docsDir } from "./repository.js";
import { shown } from "./shown.js";
import type { Stage } from "./steps.js";

/** The stage's chapter: docs/04-index.md, or the docs/04-*.md there is. */
export function chapterOf(stage: Stage, dir = docsDir): string | undefined {
  if (existsSync(join(dir, `${stage.name}.md`))) return join(dir, `${stage.name}.md`);
  const other =
    existsSync(dir) &&
    readdirSync(dir).find((name) => name.startsWith(`${stage.number}-`) && name.endsWith(".md"));
  return other ? join(dir, other) : undefined;
}

/** The prose lines of a page that a reader sees: no code blocks, no `<!-- … -->` comments. */
function readLines(text: string) {
  const lines: { line: number; text: string }[] = [];
  let inComment = false;
  for (const { line, text: source } of parseMarkdown(text).prose) {
    let visible = "";
    let rest = source;
    while (rest) {
      if (inComment) {
        const end = rest.indexOf("-->");
        if (end === -1) break;
        inComment = false;
        rest = rest.slice(end + 3);
      } else {
        const open = rest.indexOf("<!--");
        if (open === -1) {
          visible += rest;
          break;
        }
        visible += rest.slice(0, open);
        inComment = true;
        rest = rest.slice(open + 4);
      }
    }
    lines.push({ line, text: visible });
  }
  return lines;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A same-page link's anchor in `text`, as a heading's anchor on the page when one matches it. */
function linkedSection(text: string, page: ReturnType<typeof headings>) {
  const anchor = /\]\(#([^)\s]+)\)/.exec(text)?.[1];
  if (!anchor) return undefined;
  const letters = (slug: string) => slug.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  return page.find((h) => letters(h.anchor) === letters(anchor))?.anchor ?? anchor;
}

/**
 * Where the chapter sends a reader whose test file fails: the section its "Do it yourself" links to
 * from the item that names the file; else the section around the chapter's first mention of the file
 * (the chapters' "What the tests check" name them); else the chapter itself. As
 * `docs/04-index.md#anchor`, read from the chapter each time, so a section written later is found
 * without a change here.
 */
export function hintFor(stage: Stage, testFile: string, dir = docsDir): string | undefined {
  const chapter = chapterOf(stage, dir);
  if (!chapter) return undefined;
  const text = readFileSync(chapter, "utf8");
  const page = headings(text);
  const lines = readLines(text);
  const name = new RegExp(`(?<![\\w.-])${escape(basename(testFile))}(?![\\w-])`);

  const own = page.find((h) => h.anchor === "do-it-yourself");
  const end = own && page.find((h) => h.line > own.line && h.level <= own.level)?.line;
  const item =
    own &&
    lines.findIndex((l) => l.line > own.line && (end === undefined || l.line < end) && name.test(l.text));
  if (item !== undefined && item !== -1) {
    // the item and its wrapped lines, up to a blank line or the next item
    let whole = lines[item]!.text;
    for (let i = item + 1; i < lines.length && /^\s+\S/.test(lines[i]!.text); i++) whole += lines[i]!.text;
    const linked = linkedSection(whole, page);
    if (linked) return `${shown(chapter)}#${linked}`;
  }

  const mention = lines.find((line) => name.test(line.text));
  const section = mention && page.filter((h) => h.line < mention.line && h.level > 1).at(-1);
  return section ? `${shown(chapter)}#${section.anchor}` : shown(chapter);
}
