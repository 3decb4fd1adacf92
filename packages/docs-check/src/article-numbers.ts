import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Failure } from "./failure.js";
import { paragraphs } from "./markdown.js";

/** The article's wrk results, as it printed them (`Requests/sec`). Docs quote their whole part. */
export const ARTICLE_FIGURES = [43.2, 298.34, 863.35, 1128.72, 892.04, 2992.79];

/** A paragraph that speaks of the article (a figure there is the article's, not one we measured). */
const ABOUT_THE_ARTICLE = /article|原文|文章/i;

const withThousands = (text: string) =>
  text.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ","));

/**
 * The ways a figure is misquoted: rounded up (1,129 for 1128.72) or with decimals (298.3, 1128.72),
 * each with and without the thousands comma. The whole part itself (1,128) is the right quote.
 */
export function wrongVariants(figure: number): string[] {
  const whole = Math.trunc(figure);
  const variants = [
    String(Math.round(figure)),
    figure.toFixed(2),
    figure.toFixed(1),
    (Math.trunc(figure * 10) / 10).toFixed(1),
  ].filter((text) => text !== String(whole));
  return [...new Set(variants.flatMap((text) => [text, withThousands(text)]))];
}

const quote = (figure: number) => withThousands(String(Math.trunc(figure)));

const MISQUOTES = ARTICLE_FIGURES.flatMap((figure) =>
  wrongVariants(figure).map((text) => ({
    figure,
    text,
    pattern: new RegExp(`(?<![\\d.,])${text.replace(/[.,]/g, "\\$&")}(?![\\d]|[.,]\\d)`),
  })),
);

/** Every misquote of the article's figures in a paragraph that speaks of the article. */
export function checkArticleNumbers(root: string, docs: string[]): Failure[] {
  const failures: Failure[] = [];
  for (const doc of docs) {
    for (const paragraph of paragraphs(readFileSync(join(root, doc), "utf8"))) {
      if (!paragraph.some(({ text }) => ABOUT_THE_ARTICLE.test(text))) continue;
      for (const { line, text } of paragraph) {
        for (const misquote of MISQUOTES) {
          if (!misquote.pattern.test(text)) continue;
          failures.push({
            check: "article",
            file: doc,
            line,
            message: `${misquote.text}: the article printed ${misquote.figure} req/s, which the docs quote as ${quote(misquote.figure)}`,
          });
        }
      }
    }
  }
  return failures;
}
