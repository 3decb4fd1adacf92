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

/**
 * Where the chapter speaks of a test file: the section around its first mention (the chapters'
 * "What the tests check" name the files), as `docs/04-index.md#anchor`; else the chapter itself.
 * Read from the chapter each time, so a section written later is found without a change here.
 */
export function hintFor(stage: Stage, testFile: string, dir = docsDir): string | undefined {
  const chapter = chapterOf(stage, dir);
  if (!chapter) return undefined;
  const text = readFileSync(chapter, "utf8");
  const name = new RegExp(`(?<![\\w.-])${escape(basename(testFile))}(?![\\w-])`);
  const mention = readLines(text).find((line) => name.test(line.text));
  const section =
    mention &&
    headings(text)
      .filter((h) => h.line < mention.line && h.level > 1)
      .at(-1);
  return section ? `${shown(chapter)}#${section.anchor}` : shown(chapter);
}
