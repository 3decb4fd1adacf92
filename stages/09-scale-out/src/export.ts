import { CSV_HEADER, csvRow } from "./csv.js";
import type { Cursor, Owner, TodoStore } from "./store.js";

export interface ExportChunk {
  csv: string;
  /** How many todos this chunk holds (0 for the header). */
  rows: number;
}

/**
 * The long task: every todo of one owner as CSV, newest first, read in keyset pages so memory stays flat and
 * each page costs the same however deep the export has gone (an offset would rescan the skipped
 * rows on every page). The queue's worker and the inline route both drain this same generator.
 */
export async function* exportTodos(
  store: TodoStore,
  owner: Owner,
  pageSize: number,
): AsyncGenerator<ExportChunk> {
  yield { csv: CSV_HEADER, rows: 0 };
  let cursor: Cursor | null = null;
  for (;;) {
    const page = await store.listBefore(owner, cursor, pageSize);
    if (page.length > 0) yield { csv: page.map(csvRow).join(""), rows: page.length };
    const last = page.at(-1);
    if (!last || page.length < pageSize) return;
    cursor = { created_at: last.created_at, id: last.id };
  }
}
