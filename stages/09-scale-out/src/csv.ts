import type { Todo } from "./store.js";

/** The byte-order mark lets spreadsheet programs read the UTF-8 (好好学习) as UTF-8. */
export const CSV_HEADER = "\uFEFFid,content,created_at,is_finished,finished_at\r\n";

/**
 * One CSV field by RFC 4180: a value with a comma, a quote or a line break is wrapped in quotes and
 * its quotes are doubled. A value that a spreadsheet would run as a formula (it starts with = + - @
 * or a tab/CR) gets a leading apostrophe first, so an exported todo can never execute in Excel.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A todo as one CSV line, in the API's units (epoch seconds; an empty cell for "not finished"). */
export function csvRow(todo: Todo): string {
  return (
    [
      csvField(todo.id),
      csvField(todo.content),
      String(todo.created_at),
      String(todo.is_finished),
      todo.finished_at === null ? "" : String(todo.finished_at),
    ].join(",") + "\r\n"
  );
}
