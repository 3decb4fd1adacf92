import { parseMarkdown } from "./markdown.js";

/**
 * A page's headings and their anchors as the VitePress site makes them (VitePress 1, its default
 * `markdown.anchor`): markdown-it-anchor takes the heading's text — its text and code spans, not its
 * images, HTML or emphasis marks — and VitePress's `slugify` (from @mdit-vue/shared) makes the anchor; an
 * anchor already used on the page gets -1, -2…; an explicit `{#id}` at the end of a heading is its anchor.
 */

/** What `slugify` replaces by one `-`, each run of it: whitespace, ASCII punctuation and curly quotes. */
const SEPARATORS = /[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g;
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const CONTROL = /[\u0000-\u001f]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** VitePress's default slugify: `What an index changes` → `what-an-index-changes`, `05 · Workers` → `_05-·-workers` (a middle dot is no separator). */
export const slugify = (text: string): string =>
  text
    .normalize("NFKD")
    .replace(COMBINING_MARKS, "")
    .replace(CONTROL, "")
    .replace(SEPARATORS, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/^(\d)/, "_$1")
    .toLowerCase();

/** Where the bracket opened at `from` closes, counting nested ones; -1 when it does not. */
function closing(text: string, from: number, open: string, close: string): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === open) depth++;
    else if (text[i] === close && --depth === 0) return i;
  }
  return -1;
}

/** A link's or image's `(destination "title")` right at `at`: where it ends, or -1. */
const destinationEnd = (text: string, at: number) => (text[at] === "(" ? closing(text, at, "(", ")") : -1);

/**
 * The text of a heading's inline Markdown as markdown-it-anchor reads it: code spans give their
 * content, links their text, escapes their character; images, HTML tags and emphasis marks give
 * nothing. Entities stay as written (VitePress restores them: `&amp;` is read as `amp`).
 */
export function headingText(inline: string): string {
  const code: string[] = [];
  let text = "";
  for (let i = 0; i < inline.length;) {
    const char = inline[i]!;
    const rest = inline.slice(i);
    if (char === "\\" && /^\\[!-/:-@[-`{-~]/.test(rest)) {
      text += inline[i + 1];
      i += 2;
    } else if (char === "`") {
      const ticks = /^`+/.exec(rest)![0];
      const end = new RegExp(`(?<!\`)${ticks}(?!\`)`, "g");
      end.lastIndex = ticks.length;
      const close = end.exec(rest);
      if (!close) {
        text += ticks;
        i += ticks.length;
        continue;
      }
      let content = rest.slice(ticks.length, close.index).replace(/\n/g, " ");
      if (content.startsWith(" ") && content.endsWith(" ") && content.trim() !== "")
        content = content.slice(1, -1);
      // a code span is opaque to emphasis: it stands in the text as a private-use character
      text += String.fromCharCode(0xe000 + code.push(content) - 1);
      i += close.index + ticks.length;
    } else if (char === "!" && inline[i + 1] === "[") {
      const label = closing(inline, i + 1, "[", "]");
      const end = label === -1 ? -1 : destinationEnd(inline, label + 1);
      text += end === -1 ? char : "";
      i = end === -1 ? i + 1 : end + 1;
    } else if (char === "[") {
      const label = closing(inline, i, "[", "]");
      const end = label === -1 ? -1 : destinationEnd(inline, label + 1);
      if (end === -1) {
        text += char;
        i++;
      } else {
        text += headingText(inline.slice(i + 1, label));
        i = end + 1;
      }
    } else if (char === "<") {
      const autolink = /^<([a-zA-Z][\w+.-]{1,31}:[^\s<>]*)>/.exec(rest);
      const tag = /^<(?:\/?[a-zA-Z][\w-]*(?:\s[^<>]*)?\/?|!--[\s\S]*?--)>/.exec(rest);
      if (autolink) text += autolink[1];
      else if (!tag) text += char;
      i += autolink?.[0].length ?? tag?.[0].length ?? 1;
    } else {
      text += char;
      i++;
    }
  }
  let plain = text;
  for (let before = ""; before !== plain;) {
    before = plain;
    plain = plain
      .replace(/(\*{1,3})(?=\S)([^*]*?\S)\1/g, "$2")
      .replace(/(?<![\p{L}\p{N}])(_{1,3})(?=\S)([^_]*?\S)\1(?![\p{L}\p{N}])/gu, "$2")
      .replace(/~~(?=\S)(.*?\S)~~/g, "$1");
  }
  return plain.replace(/[\ue000-\uf8ff]/g, (c) => code[c.charCodeAt(0) - 0xe000] ?? c).trim();
}

/** A heading: its line, level (1 for `#`), text, the `{#id}` it ends with, and its anchor on the page. */
export interface Heading {
  line: number;
  level: number;
  /** The line as written. */
  source: string;
  /** Its text, as the anchor is made from it. */
  text: string;
  /** The explicit anchor, `{#what-an-index-changes}`, without `{#` and `}`. */
  id?: string;
  /** Its anchor on the page: the explicit one, or its slug made unique. */
  anchor: string;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const EXPLICIT_ID = /[ \t]*\{[ \t]*#([^\s{}]+)[ \t]*\}$/;

/** The headings of a Markdown page (`#` headings outside code blocks), with their anchors. */
export function headings(text: string): Heading[] {
  const taken = new Set<string>();
  const found: Heading[] = [];
  for (const { line, text: source } of parseMarkdown(text).prose) {
    const match = ATX.exec(source);
    if (!match) continue;
    const [, marks = "", raw = ""] = match;
    // a closing sequence of #s, after a space, is not part of the heading
    let inline = raw.replace(/(?:^|[ \t]+)#+$/, "");
    const id = EXPLICIT_ID.exec(inline)?.[1];
    if (id !== undefined) inline = inline.replace(EXPLICIT_ID, "");
    const plain = headingText(inline);
    let anchor = id ?? slugify(plain);
    if (id === undefined) {
      const slug = anchor;
      for (let n = 1; taken.has(anchor); n++) anchor = `${slug}-${n}`;
    }
    taken.add(anchor);
    found.push({
      line,
      level: marks.length,
      source,
      text: plain,
      ...(id === undefined ? {} : { id }),
      anchor,
    });
  }
  return found;
}
