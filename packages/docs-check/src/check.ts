import { readArticle } from "./article.js";
import { checkArticleNumbers } from "./article-numbers.js";
import { checkCornerQuotes } from "./corner-quotes.js";
import type { Failure } from "./failure.js";
import { checkLinks } from "./links.js";
import { checkMeasured } from "./measured.js";
import { checkParity } from "./parity.js";
import { checkQuotes } from "./quotes.js";
import { RECIPES } from "./recipes.js";
import { checkRecordMarkers, checkRecordings } from "./record-markers.js";
import { readRecordings } from "./recordings.js";
import { documents } from "./repository.js";
import { shellBlocks } from "./shell-blocks.js";
import { checkTables } from "./tables.js";
import { chinesePages } from "./translations.js";

export interface Report {
  failures: Failure[];
  /** Checks that could not run, and why (one line each). */
  skipped: string[];
  /** What was checked, for the summary line. */
  counts: {
    quotes: number;
    tables: number;
    documents: number;
    recordings: number;
    numbers: number;
    shellBlocks: number;
    translations: number;
    links: number;
    cornerQuotes: number;
  };
}

/**
 * Every check over the repository at `root`: quotes, file tables, the article's numbers, recordings,
 * measured numbers, the shell blocks' annotations (running the blocks is `--commands`), and the
 * translations against their English pages: their links, and their 「…」 against the article.
 */
export function checkRepository(root: string, env: Record<string, string | undefined> = process.env): Report {
  const docs = documents(root);
  const quotes = checkQuotes(root, docs);
  const tables = checkTables(root);
  const recordings = readRecordings(root);
  const markers = checkRecordMarkers(root, docs, recordings);
  const measured = checkMeasured(root, docs, recordings, RECIPES);
  const shell = shellBlocks(root, docs);
  const parity = checkParity(root);
  const chinese = chinesePages(root);
  const links = checkLinks(root, chinese);
  const article = readArticle(env);
  const corner = "text" in article ? checkCornerQuotes(root, chinese, article.text) : undefined;
  const failures = [
    ...quotes.failures,
    ...tables.failures,
    ...checkArticleNumbers(root, docs),
    ...markers.failures,
    ...checkRecordings(recordings, RECIPES),
    ...measured.failures,
    ...shell.failures,
    ...parity.failures,
    ...links.failures,
    ...(corner?.failures ?? []),
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    failures,
    skipped: "skipped" in article && chinese.length > 0 ? [`skipped: ${article.skipped}`] : [],
    counts: {
      quotes: quotes.quotes,
      tables: tables.tables,
      documents: docs.length,
      recordings: recordings.size,
      numbers: measured.numbers,
      shellBlocks: shell.blocks.length,
      translations: parity.pairs,
      links: links.links,
      cornerQuotes: corner?.quotes ?? 0,
    },
  };
}
