import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Failure } from "./failure.js";
import { parseMarkdown } from "./markdown.js";

/** A 「…」 span of a page: the line it opens on, and what it holds (null when it never closes). */
export interface CornerQuote {
  line: number;
  quote: string | null;
}

/** The 「…」 spans of a page, outside code blocks; one may wrap onto the next line. */
export function cornerQuotes(text: string): CornerQuote[] {
  const { blocks } = parseMarkdown(text);
  const lines = text.split("\n");
  for (const block of blocks) for (const { line } of block.lines) lines[line - 1] = "";
  const found: CornerQuote[] = [];
  lines.forEach((line, i) => {
    for (let at = line.indexOf("「"); at !== -1; at = line.indexOf("「", at + 1)) {
      // the rest of the paragraph: a quote wraps, but does not cross a blank line or another 「
      let rest = line.slice(at + 1);
      for (let k = i + 1; k < lines.length && lines[k]!.trim() !== ""; k++) rest += `\n${lines[k]}`;
      const close = rest.indexOf("」");
      const reopen = rest.indexOf("「");
      const closed = close !== -1 && (reopen === -1 || close < reopen);
      found.push({ line: i + 1, quote: closed ? rest.slice(0, close) : null });
    }
  });
  return found;
}

const CJK = String.raw`[\p{Script=Han}\u3000-\u303f\uff00-\uffef]`;

/**
 * Text compared as the article prints it, whitespace aside: runs of whitespace become one space, and a
 * space next to a Chinese character or punctuation goes (a translation adds a space between Chinese
 * and Latin words; the article often does not; a line may wrap anywhere).
 */
export const normalizeSpace = (text: string) =>
  text
    .replace(/\s+/g, " ")
    .replace(new RegExp(` (?=${CJK})|(?<=${CJK}) `, "gu"), "")
    .trim();

/** Every 「…」 of these pages occurs in the article word for word, whitespace aside. */
export function checkCornerQuotes(
  root: string,
  pages: string[],
  article: string,
): { failures: Failure[]; quotes: number } {
  const failures: Failure[] = [];
  const printed = normalizeSpace(article);
  const loosely = printed.normalize("NFKC");
  let count = 0;
  for (const page of pages) {
    const fail = (line: number, message: string) =>
      failures.push({ check: "translation", file: page, line, message });
    for (const { line, quote } of cornerQuotes(readFileSync(join(root, page), "utf8"))) {
      count++;
      if (quote === null) {
        fail(line, "「 without its 」 in the same paragraph: 「…」 quote the article, and only the article");
        continue;
      }
      const wanted = normalizeSpace(quote);
      if (wanted !== "" && printed.includes(wanted)) continue;
      const shown = `「${quote.replace(/\s*\n\s*/g, " ")}」`;
      fail(
        line,
        loosely.includes(wanted.normalize("NFKC")) && wanted !== ""
          ? `${shown} is in the article with other punctuation (full- or half-width): copy it as the article prints it`
          : `${shown} is not in the article: 「…」 quote the article word for word (a phrase or a sentence); use “…” for any other quotation`,
      );
    }
  }
  return { failures, quotes: count };
}
