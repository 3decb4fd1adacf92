import type { Cursor, Todo } from "./store.js";

/**
 * A cursor is opaque to clients: base64url of the last todo's position. Clients pass back the
 * `next` value they were given and never build one, so its format can change later.
 */
export const encodeCursor = ({ created_at, id }: Todo | Cursor): string =>
  Buffer.from(JSON.stringify({ created_at, id })).toString("base64url");

const MAX_CURSOR_CHARS = 200;

/** The position in a cursor, or undefined when the text is not a cursor this server made. */
export function decodeCursor(text: string): Cursor | undefined {
  if (text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { created_at, id } = value as Record<string, unknown>;
  if (typeof created_at !== "number" || !Number.isFinite(created_at)) return undefined;
  if (typeof id !== "string" || id.length === 0 || id.length > 64) return undefined;
  return { created_at, id };
}
