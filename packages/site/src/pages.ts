import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { plainHeading } from "./anchors.js";

/** A chapter's file: two digits, a dash, a name (`05-cluster.md`); `08-secure.md` joins by itself. */
const CHAPTER = /^\d\d-.+\.md$/;

export interface PageEntry {
  /** The file's name in docs/ (and in docs/zh/, the same name). */
  file: string;
  /** The page's H1 as plain text. */
  title: string;
  /** Its URL on the site, clean (no `.html`), with the locale's prefix. */
  link: string;
  /** Pages read beside this one: asides that belong after it. */
  asides: PageEntry[];
}

export interface LearningOrder {
  /** Pages that follow a chapter in the learning path, by chapter: `{ "01-hello.md": ["framework-cost.md"] }`. */
  asides?: Record<string, string[]>;
}

/** The markdown pages of one folder (not its subfolders), by file name. */
export function markdownFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The order a reader goes through: the learning path (README.md), Before you start, the chapters
 * in file-name order with their asides after them, the benchmarks, then any other page.
 */
export function learningOrder(files: string[], { asides = {} }: LearningOrder = {}): string[][] {
  // an aside whose chapter is missing (a translation under way) is listed with the other pages
  const aside = new Set(
    Object.entries(asides).flatMap(([chapter, list]) => (files.includes(chapter) ? list : [])),
  );
  const chapters = files.filter((file) => CHAPTER.test(file));
  const first = ["README.md", "before-you-start.md"].filter((file) => files.includes(file));
  const last = ["benchmarks.md"].filter((file) => files.includes(file));
  const placed = new Set([...first, ...chapters, ...last, ...aside]);
  const others = files.filter((file) => !placed.has(file));
  const withAsides = (file: string) => [file, ...(asides[file] ?? []).filter((a) => files.includes(a))];
  return [...first, ...chapters, ...last, ...others].map(withAsides);
}

/** A page's H1 as plain text. */
export function pageTitle(markdown: string): string | undefined {
  const h1 = /^# +(.+?) *$/m.exec(markdown)?.[1];
  return h1 === undefined ? undefined : plainHeading(h1);
}

/** The site URL of a page in docs/ under `prefix` ("/" or "/zh/"): README.md is the locale's home. */
export function pageLink(prefix: string, file: string): string {
  return file === "README.md" ? prefix : prefix + file.replace(/\.md$/, "");
}

/** The pages of one locale's folder in learning order, each with its title and link. */
export function localePages(dir: string, prefix: string, order: LearningOrder = {}): PageEntry[] {
  const entry = (file: string): PageEntry => {
    const title = pageTitle(readFileSync(join(dir, file), "utf8")) ?? file;
    return { file, title, link: pageLink(prefix, file), asides: [] };
  };
  return learningOrder(markdownFiles(dir), order).map(([file, ...asides]) => ({
    ...entry(file!),
    asides: asides.map(entry),
  }));
}
