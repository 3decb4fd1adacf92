import { ApiError } from "@zero-to-one/server-kit";
import type { Context } from "hono";

export const MAX_CONTENT_CHARS = 1000;

/**
 * Reads `content` from a form (what the article's `http -f` sends) or a JSON body, and refuses
 * anything that is not a non-blank string of at most 1,000 characters — including objects such
 * as `{"$ne": null}` that would become a query operator further down the line.
 */
export async function readContent(c: Context): Promise<string> {
  const body = await readBody(c);
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

async function readBody(c: Context): Promise<Record<string, unknown>> {
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
      throw new ApiError(400, 'the JSON body must be an object such as {"content": "…"}');
    }
    return body as Record<string, unknown>;
  }
  throw new ApiError(
    415,
    `send the todo as a form (application/x-www-form-urlencoded) or as JSON (application/json), not ${type ?? "a body without Content-Type"}`,
  );
}
