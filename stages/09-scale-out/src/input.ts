import { ApiError } from "@zero-to-one/server-kit";
import type { Context } from "hono";
import { decodeCursor } from "./cursor.js";
import type { Cursor } from "./store.js";

export const MAX_CONTENT_CHARS = 1000;

/**
 * Reads `content` from a form (what the article's `http -f` sends) or a JSON body, and refuses
 * anything that is not a non-blank string of at most 1,000 characters — including objects such
 * as `{"$ne": null}` that would become a query operator further down the line.
 */
export async function readContent(c: Context): Promise<string> {
  const body = await readBody(c, { what: "the todo", example: '{"content": "…"}' });
  const content = body["content"];
  if (content === undefined) throw new ApiError(400, 'the field "content" is missing');
  if (typeof content !== "string") {
    throw new ApiError(400, 'the field "content" must be a single string');
  }
  if (content.trim() === "") throw new ApiError(400, 'the field "content" must not be blank');
  const length = [...content].length;
  if (length > MAX_CONTENT_CHARS) {
    throw new ApiError(
      400,
      `the field "content" has ${length} characters; at most ${MAX_CONTENT_CHARS} are allowed`,
    );
  }
  return content;
}

/** The fields of a form or JSON body; `what` and `example` name what was expected in the 400s and 415s. */
export async function readBody(
  c: Context,
  { what, example }: { what: string; example: string },
): Promise<Record<string, unknown>> {
  const type = c.req.header("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded" || type === "multipart/form-data") {
    return c.req.parseBody({ all: true });
  }
  if (type === "application/json") {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, "the body is not valid JSON");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ApiError(400, `the JSON body must be an object such as ${example}`);
    }
    return body as Record<string, unknown>;
  }
  throw new ApiError(
    415,
    `send ${what} as a form (application/x-www-form-urlencoded) or as JSON (application/json), not ${type ?? "a body without Content-Type"}`,
  );
}

export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 100;

export type PageRequest = { limit: number } & ({ start: number } | { before: Cursor });

/**
 * A page of GET /todo: `limit` is 1 to 100, and the page starts either at an offset (`start`,
 * as in the article) or after a cursor (`before`, the `next` of the previous page) — not both.
 */
export function readPage(c: Context): PageRequest {
  const limit = wholeNumber(c, "limit", { min: 1, max: MAX_LIMIT, fallback: DEFAULT_LIMIT });
  const before = c.req.query("before");
  if (before === undefined) {
    return { limit, start: wholeNumber(c, "start", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 }) };
  }
  if (c.req.query("start") !== undefined) {
    throw new ApiError(400, 'use either "start" (an offset) or "before" (a cursor), not both');
  }
  const cursor = decodeCursor(before);
  if (!cursor) {
    throw new ApiError(
      400,
      '"before" is not a cursor from this server: pass the "next" value of a previous page unchanged',
    );
  }
  return { limit, before: cursor };
}

function wholeNumber(
  c: Context,
  name: string,
  { min, max, fallback }: { min: number; max: number; fallback: number },
): number {
  const raw = c.req.query(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ApiError(
      400,
      `"${name}" must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`,
    );
  }
  return value;
}
