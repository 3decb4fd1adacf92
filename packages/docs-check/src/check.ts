import { checkArticleNumbers } from "./article-numbers.js";
import type { Failure } from "./failure.js";
import { checkQuotes } from "./quotes.js";
import { documents } from "./repository.js";
import { checkTables } from "./tables.js";

export interface Report {
  failures: Failure[];
  /** What was checked, for the summary line. */
  counts: { quotes: number; tables: number; documents: number };
}

/** Every check over the repository at `root`: quotes, file tables, the article's numbers. */
export function checkRepository(root: string): Report {
  const docs = documents(root);
  const quotes = checkQuotes(root, docs);
  const tables = checkTables(root);
  const failures = [...quotes.failures, ...tables.failures, ...checkArticleNumbers(root, docs)].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line,
  );
  return { failures, counts: { quotes: quotes.quotes, tables: tables.tables, documents: docs.length } };
}
