import { existsSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import type { Failure } from "./failure.js";
import { headings } from "./headings.js";
import { parseMarkdown } from "./markdown.js";
import { recordMarkers } from "./record-markers.js";
import { originalOf, translationOf } from "./translations.js";

/** A link of a page: the line it is on and its target as written, `05-cluster.md#the-numbers`. */
export interface Link {
  line: number;
  target: string;
}

/** A target with a scheme (`https:`, `mailto:`) or starting with `//` leaves the repository. */
const EXTERNAL = /^(?:[a-zA-Z][\w+.-]*:|\/\/)/;

const blank = (text: string) => text.replace(/[^\n]/g, " ");

/**
 * The links of a Markdown page, outside code blocks and inline code: inline links and images
 * `[text](target "title")`, reference definitions `[name]: target`, and HTML `href`/`src` attributes.
 */
export function pageLinks(text: string): Link[] {
  const links: Link[] = [];
  // what a record marker holds is the record check's: the recording's own link, as docs:record writes it
  const { markers } = recordMarkers(text);
  const inRecord = (line: number) => markers.some((m) => m.open < line && line < m.close);
  for (const { line, text: raw } of parseMarkdown(text).prose) {
    if (inRecord(line)) continue;
    const source = raw.replace(/<!--.*?-->/g, blank).replace(/(`+)(?!`)(.*?[^`])\1(?!`)/g, blank);
    const add = (target: string | undefined) => {
      if (target) links.push({ line, target: target.replace(/^<|>$/g, "") });
    };
    for (const [, target] of source.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g))
      add(target);
    add(/^ {0,3}\[[^\]]+\]:\s*(\S+)/.exec(source)?.[1]);
    for (const [, , target] of source.matchAll(/\s(?:href|src)=(["'])([^"']*)\1/g)) add(target);
  }
  return links;
}

const splitHash = (target: string): [path: string, hash: string | undefined] => {
  const at = target.indexOf("#");
  return at === -1 ? [target, undefined] : [target.slice(0, at), target.slice(at + 1)];
};

/** Where a relative link of `page` points, from the repository root (the page itself for `#anchor`). */
export function resolveLink(page: string, target: string): { path: string; hash?: string } | undefined {
  if (EXTERNAL.test(target)) return undefined;
  const [path, hash] = splitHash(target);
  const resolved = path === "" ? page : posix.normalize(posix.join(posix.dirname(page), path));
  return { path: resolved.replace(/\/$/, ""), ...(hash === undefined ? {} : { hash }) };
}

/**
 * The target a link of the English page `from` takes in its translation `to`: a link to an English
 * page goes to that page's translation (`05-cluster.md` stays `05-cluster.md` in docs/zh), anything
 * else to the same file (`../stages/…` gets one more `../`); the anchor stays.
 */
export function translateLink(target: string, from: string, to: string): string {
  const link = resolveLink(from, target);
  if (!link || splitHash(target)[0] === "") return target;
  const page = translationOf(link.path) ?? link.path;
  const relative = posix.relative(posix.dirname(to), page) || ".";
  const slash = /\/(?:#|$)/.test(target) ? "/" : "";
  return `${relative}${slash}${link.hash === undefined ? "" : `#${link.hash}`}`;
}

/** `text` of the English page `from` with each link's target as its translation `to` writes it. */
export function translateLinks(text: string, from: string, to: string): string {
  return text.replace(
    /(\]\(\s*)([^)\s]+)/g,
    (_whole, open: string, target: string) => open + translateLink(target, from, to),
  );
}

/** Why a link of a translation finds nothing, when it can tell: a page not translated yet, a link copied as it is. */
function missingHint(root: string, page: string, target: string): string {
  const path = resolveLink(page, target)!.path;
  const untranslated = originalOf(path);
  if (untranslated && existsSync(join(root, untranslated)))
    return ` yet: it is the translation of ${untranslated}`;
  const original = originalOf(page);
  const asInOriginal = original && resolveLink(original, target);
  if (original && asInOriginal && existsSync(join(root, asInOriginal.path))) {
    return `: the link is written as from ${original}; from ${page} it is ${translateLink(target, original, page)}`;
  }
  return "";
}

/** The closest of `anchors` to `anchor`, by edit distance: what a link probably meant. */
function closest(anchor: string, anchors: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++)
        next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  return anchors
    .map((candidate) => ({ candidate, d: distance(anchor, candidate) }))
    .sort((x, y) => x.d - y.d)
    .find(({ d }) => d <= Math.max(3, anchor.length / 3))?.candidate;
}

/**
 * Every relative link of these pages resolves: to a file or folder of the repository, and an
 * `#anchor` on a Markdown page to one of its headings' anchors (a translation's explicit `{#id}`, an
 * English page's VitePress anchor).
 */
export function checkLinks(root: string, pages: string[]): { failures: Failure[]; links: number } {
  const failures: Failure[] = [];
  const anchorsOf = new Map<string, string[]>();
  const anchors = (page: string) => {
    if (!anchorsOf.has(page))
      anchorsOf.set(
        page,
        headings(readFileSync(join(root, page), "utf8")).map((h) => h.anchor),
      );
    return anchorsOf.get(page)!;
  };
  let count = 0;
  for (const page of pages) {
    const fail = (line: number, message: string) =>
      failures.push({ check: "translation", file: page, line, message });
    for (const { line, target } of pageLinks(readFileSync(join(root, page), "utf8"))) {
      const link = resolveLink(page, target);
      if (!link) continue;
      count++;
      if (link.path === ".." || link.path.startsWith("../") || !existsSync(join(root, link.path))) {
        fail(line, `links to ${target}, but ${link.path} does not exist${missingHint(root, page, target)}`);
        continue;
      }
      // a translation may link to the page it translates ([English](../05-cluster.md)), to no other English page
      const translated = originalOf(page) !== link.path && originalOf(page) && translationOf(link.path);
      if (translated) {
        const instead = posix.relative(posix.dirname(page), translated) + (link.hash ? `#${link.hash}` : "");
        fail(
          line,
          `links to the English page ${link.path}: a Chinese page links to Chinese pages, here ${instead}`,
        );
        continue;
      }
      if (link.hash === undefined || !link.path.endsWith(".md")) continue;
      const hash = decodeURIComponent(link.hash);
      const known = anchors(link.path);
      if (known.includes(hash)) continue;
      const near = closest(hash, known);
      fail(
        line,
        `links to ${target}, but ${link.path} has no heading with the anchor #${hash}` +
          (near ? ` (did you mean #${near}?)` : "") +
          `: anchors are VitePress's, as a translation's headings carry them ({#…})`,
      );
    }
  }
  return { failures, links: count };
}
