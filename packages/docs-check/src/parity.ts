import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { align } from "./align.js";
import type { Failure } from "./failure.js";
import { fragments, type Fragment } from "./fragments.js";
import { headings, type Heading } from "./headings.js";
import { translateLinks } from "./links.js";
import { parseMarkdown, type CodeBlock } from "./markdown.js";
import { compareNumbers } from "./numbers-parity.js";
import { placeOf, type Found, type Pair } from "./pair.js";
import { recordMarkers } from "./record-markers.js";
import { chinesePages, englishPages, originalOf, translationOf } from "./translations.js";

/**
 * A translation keeps up with its English page: it exists, and it has the same headings (each with
 * the English heading's anchor written out, `{#what-an-index-changes}`), the same code blocks and the
 * same generated fragments, in the same order, and the same numbers.
 */
export function checkParity(root: string): { failures: Failure[]; pairs: number } {
  const failures: Failure[] = [];
  const fail = (file: string, line: number, message: string) =>
    failures.push({ check: "translation", file, line, message });
  let pairs = 0;
  for (const page of englishPages(root)) {
    const zh = translationOf(page)!;
    if (!existsSync(join(root, zh))) {
      fail(
        page,
        1,
        `has no Chinese page: translate it into ${zh} (its headings with their {#anchor}, its code blocks and markers as they are here)`,
      );
      continue;
    }
    pairs++;
    const read = (path: string) => {
      const text = readFileSync(join(root, path), "utf8");
      return { path, text, headings: headings(text) };
    };
    const pair = { en: read(page), zh: read(zh) };
    for (const [line, message] of [
      ...compareHeadings(pair),
      ...compareBlocks(pair),
      ...compareFragments(pair),
      ...compareNumbers(pair),
    ])
      fail(zh, line, message);
  }
  for (const zh of chinesePages(root)) {
    const page = originalOf(zh)!;
    if (!existsSync(join(root, page)))
      fail(
        zh,
        1,
        `translates no page: ${page} does not exist (rename it after its English page, or remove it)`,
      );
  }
  failures.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { failures, pairs };
}

/** The index of the first line where two lists of lines differ (one may be longer). */
const firstDifference = (a: string[], b: string[]) => {
  const at = a.findIndex((line, i) => line !== b[i]);
  return at === -1 ? Math.min(a.length, b.length) : at;
};

const show = (h: Heading) => `"${h.source.trim()}"`;
const lastLine = (text: string) => text.split("\n").length;

/** Headings one to one: the same levels in the same order, each carrying its English heading's anchor. */
export function compareHeadings({ en, zh: translation }: Pair): Found[] {
  const [page, english, chinese] = [en.path, en.headings, translation.headings];
  const found: Found[] = [];
  let previous: Heading | undefined;
  for (const step of align(english, chinese, (en, zh) => zh.id === en.anchor)) {
    if (step.kind === "missing") {
      const where = previous ? `after line ${previous.line}` : "before the first heading";
      found.push([
        previous?.line ?? 1,
        `no heading for ${show(step.a)} (${page}:${step.a.line}): add it ${where}, ending with {#${step.a.anchor}}`,
      ]);
      continue;
    }
    const zh = step.b;
    previous = zh;
    if (step.kind === "extra") {
      found.push([
        zh.line,
        zh.id === undefined
          ? `heading ${show(zh)} has no counterpart in ${page} and no {#anchor}: headings correspond one to one`
          : `heading ${show(zh)}: ${page} has no heading with the anchor ${zh.id}: headings correspond one to one`,
      ]);
      continue;
    }
    const en = step.a;
    if (step.kind === "changed") {
      found.push([
        zh.line,
        zh.id === undefined
          ? `heading ${show(zh)} has no anchor: end it with {#${en.anchor}}, the anchor of ${show(en)} (${page}:${en.line})`
          : `heading ${show(zh)}: its anchor should be {#${en.anchor}}, the anchor of ${show(en)} (${page}:${en.line})`,
      ]);
    }
    if (en.level !== zh.level)
      found.push([
        zh.line,
        `heading ${show(zh)} is level ${zh.level} (${"#".repeat(zh.level)}), ${show(en)} (${page}:${en.line}) is level ${en.level}`,
      ]);
  }
  return found;
}

const blockText = (block: CodeBlock) => block.lines.map((l) => l.text).join("\n");
const sameBlock = (a: CodeBlock, b: CodeBlock) => a.lang === b.lang && blockText(a) === blockText(b);
const fence = (block: CodeBlock) => `\`\`\`${block.lang}`;

/** A page's code blocks but those a record marker holds (the recording's: the record check compares them). */
const ownBlocks = (text: string) => {
  const { markers } = recordMarkers(text);
  return parseMarkdown(text).blocks.filter((b) => !markers.some((m) => m.open < b.line && b.line < m.close));
};

/** Code blocks byte for byte (comments in them stay English), as many, in the same order. */
export function compareBlocks(pair: Pair): Found[] {
  const page = pair.en.path;
  const [english, chinese] = [ownBlocks(pair.en.text), ownBlocks(pair.zh.text)];
  const found: Found[] = [];
  let previous: CodeBlock | undefined;
  for (const step of align(english, chinese, sameBlock)) {
    if (step.kind === "missing") {
      const after = previous ? (previous.lines.at(-1)?.line ?? previous.line) + 1 : 1;
      found.push([
        placeOf(pair, step.a.line, after),
        `the ${fence(step.a)} block of ${page}:${step.a.line} is missing after this line: copy it as it is`,
      ]);
      continue;
    }
    previous = step.b;
    if (step.kind === "extra") {
      found.push([
        step.b.line,
        `this ${fence(step.b)} block is not in ${page}: code blocks are the English page's, no more, no fewer`,
      ]);
    } else if (step.kind === "changed") {
      const [en, zh] = [step.a, step.b];
      if (en.lang !== zh.lang) {
        found.push([zh.line, `this block is ${fence(zh)}, ${page}:${en.line}'s is ${fence(en)}`]);
        continue;
      }
      const at = firstDifference(
        en.lines.map((l) => l.text),
        zh.lines.map((l) => l.text),
      );
      const expected = en.lines[at]?.text;
      found.push([
        zh.lines[at]?.line ?? zh.line,
        `this block differs from ${page}:${en.line}` +
          (expected === undefined
            ? " (it goes on after the English block ends)"
            : ` (this line should read ${JSON.stringify(expected)})`) +
          ": code blocks are copied byte for byte, their comments included",
      ]);
    }
  }
  return found;
}

/**
 * The generated fragments as the English page has them, in the same places: bench markers with what
 * they hold, record markers, and `docs:` annotation lines. What a record marker holds is the record
 * check's: the same recording in both languages, with the link to it from each page. Links in a bench
 * marker are the translation's, as the tools write them (a page's link stays, a file's gets one more ../).
 */
export function compareFragments(pair: Pair): Found[] {
  const page = pair.en.path;
  const found: Found[] = [];
  const expected = fragments(pair.en.text).map((f) => ({
    ...f,
    text: translateLinks(f.text, page, pair.zh.path),
  }));
  const kinds = { bench: "bench marker", record: "record marker", docs: "annotation" };
  const first = (f: Fragment) => f.text.split("\n")[0]!;
  const same = (en: Fragment, ch: Fragment) =>
    en.kind === "record" ? ch.kind === "record" && first(en) === first(ch) : en.text === ch.text;
  let previous: number | undefined;
  for (const step of align(expected, fragments(pair.zh.text), same)) {
    if (step.kind === "missing") {
      found.push([
        placeOf(pair, step.a.line, previous),
        `${kinds[step.a.kind]} ${first(step.a)} (${page}:${step.a.line}) is missing after this line: ` +
          `copy it from ${page}, content included`,
      ]);
      continue;
    }
    previous = step.b.line + lastLine(step.b.text) - 1;
    if (step.kind === "extra") {
      found.push([
        step.b.line,
        `${kinds[step.b.kind]} ${first(step.b)} is not in ${page}: generated fragments are the English page's, in the same places`,
      ]);
    } else if (step.kind === "changed") {
      const [en, ch] = [step.a.text.split("\n"), step.b.text.split("\n")];
      const at = firstDifference(en, ch);
      found.push([
        step.b.line + at,
        `${kinds[step.b.kind]} differs from ${page}:${step.a.line + at} (it should read ${JSON.stringify(en[at] ?? "")}): ` +
          `copy it from ${page}, content included`,
      ]);
    }
  }
  return found;
}
