import type { Heading } from "./headings.js";

/** A page read: its path, its text, its headings. */
export interface Page {
  path: string;
  text: string;
  headings: Heading[];
}

/** An English page and its translation. */
export interface Pair {
  en: Page;
  zh: Page;
}

export type Found = [line: number, message: string];

/**
 * Where in the translation a thing of the English page at `line` belongs, at the earliest: the line
 * of the heading its section has there (found by anchor), and not before `after`.
 */
export function placeOf(pair: Pair, line: number, after = 1): number {
  const section = pair.en.headings.findLast((h) => h.line <= line);
  const there = section && pair.zh.headings.find((h) => h.id === section.anchor);
  return Math.max(after, there?.line ?? 1);
}
