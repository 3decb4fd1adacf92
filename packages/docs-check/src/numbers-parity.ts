import { paragraphMeasures, paragraphsOf } from "./measured.js";
import { measureKey } from "./measures.js";
import { placeOf, type Found, type Pair } from "./pair.js";

const DIGITS = /(?<![\d.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?/g;
/** A heading's explicit anchor holds the English heading's digits, mangled (`1-000`): not a number written. */
const ANCHOR = /\{#[^}]*\}/g;

/**
 * A translation's numbers are its English page's: every measured number the English page states (in
 * its prose and tables; what markers and code blocks hold is compared as they are) is stated in the
 * translation with the same digits and unit, and the translation writes no number the English page
 * does not write. A number the English page changed and its translation did not shows up both ways.
 */
export function compareNumbers(pair: Pair): Found[] {
  const { en: english, zh: chinese } = pair;
  const page = english.path;
  const found: Found[] = [];
  const prose = (text: string) => paragraphsOf(text).filter((p) => !p.output);
  const stated = (text: string) =>
    prose(text).flatMap((paragraph) =>
      paragraphMeasures(paragraph).map((m) => ({ ...m, key: measureKey(m.measure) })),
    );

  const translated = new Set(stated(chinese.text).map((m) => m.key));
  const reported = new Set<string>();
  for (const { line, measure, key } of stated(english.text)) {
    if (translated.has(key) || reported.has(key)) continue;
    reported.add(key);
    found.push([
      placeOf(pair, line),
      `${measure.text.trim()} (${page}:${line}) is not stated in this section: ` +
        `state every measured number of the English page with its digits and a unit (ms, 毫秒, req/s, 每秒 … 个请求, 倍 …)`,
    ]);
  }

  // every run of digits, wherever it stands (2xx, v20, 05-cluster), read the same way in both languages
  const digits = (text: string) =>
    prose(text).flatMap((paragraph) =>
      paragraph.masked.flatMap(({ line, text }) =>
        [...text.replace(ANCHOR, "").matchAll(DIGITS)].map(([value]) => ({ line, value })),
      ),
    );
  const written = new Set(digits(english.text).map((n) => n.value.replaceAll(",", "")));
  for (const { line, value } of digits(chinese.text)) {
    if (written.has(value.replaceAll(",", ""))) continue;
    found.push([
      line,
      `${value}: ${page} writes no such number: a translation writes the English page's numbers, no others (say it in words, or leave it out)`,
    ]);
  }
  return found;
}
