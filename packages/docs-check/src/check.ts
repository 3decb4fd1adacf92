import { checkArticleNumbers } from "./article-numbers.js";
import type { Failure } from "./failure.js";
import { checkMeasured } from "./measured.js";
import { checkQuotes } from "./quotes.js";
import { RECIPES } from "./recipes.js";
import { checkRecordMarkers, checkRecordings } from "./record-markers.js";
import { readRecordings } from "./recordings.js";
import { documents } from "./repository.js";
import { shellBlocks } from "./shell-blocks.js";
import { checkTables } from "./tables.js";

export interface Report {
  failures: Failure[];
  /** What was checked, for the summary line. */
  counts: {
    quotes: number;
    tables: number;
    documents: number;
    recordings: number;
    numbers: number;
    shellBlocks: number;
  };
}

/**
 * Every check over the repository at `root`: quotes, file tables, the article's numbers, recordings,
 * measured numbers, and the shell blocks' annotations (running the blocks is `--commands`).
 */
export function checkRepository(root: string): Report {
  const docs = documents(root);
  const quotes = checkQuotes(root, docs);
  const tables = checkTables(root);
  const recordings = readRecordings(root);
  const markers = checkRecordMarkers(root, docs, recordings);
  const measured = checkMeasured(root, docs, recordings, RECIPES);
  const shell = shellBlocks(root, docs);
  const failures = [
    ...quotes.failures,
    ...tables.failures,
    ...checkArticleNumbers(root, docs),
    ...markers.failures,
    ...checkRecordings(recordings, RECIPES),
    ...measured.failures,
    ...shell.failures,
  ].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return {
    failures,
    counts: {
      quotes: quotes.quotes,
      tables: tables.tables,
      documents: docs.length,
      recordings: recordings.size,
      numbers: measured.numbers,
      shellBlocks: shell.blocks.length,
    },
  };
}
