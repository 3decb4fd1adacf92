import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error shape of the API: `{"error":{"status":…,"message":…}}`. */
export function jsonError(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  headers?: Record<string, string>,
) {
  return c.json({ error: { status, message } }, status, headers);
}

/** Thrown by handlers for a 4xx the client can act on; `onError` turns it into JSON. */
export class ApiError extends HTTPException {
  constructor(status: ContentfulStatusCode, message: string) {
    super(status, { message });
  }
}

export const onError: ErrorHandler = (error, c) => {
  if (error instanceof HTTPException && error.status < 500) {
    return jsonError(c, error.status as ContentfulStatusCode, error.message || "bad request");
  }
  console.error(`${c.req.method} ${c.req.path} failed:`, error);
  return jsonError(c, 500, "internal error: the server could not complete the request");
};

/**
 * 404 for a path no route knows; 405 with `Allow` when the path is known but not the method.
 * Route patterns are read from the app itself, so the answer never drifts from the routes.
 */
export function notFound(app: { routes: readonly { method: string; path: string }[] }): NotFoundHandler {
  let patterns: { test: RegExp; method: string }[] | undefined;
  return (c) => {
    patterns ??= app.routes
      .filter((route) => route.method !== "ALL" && !route.path.includes("*"))
      .map((route) => ({ test: patternToRegExp(route.path), method: route.method }));
    const allowed = new Set(patterns.filter((p) => p.test.test(c.req.path)).map((p) => p.method));
    if (allowed.size === 0) return jsonError(c, 404, `no route for ${c.req.path}`);
    if (allowed.has("GET")) allowed.add("HEAD");
    const allow = [...allowed].join(", ");
    return jsonError(c, 405, `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow}`, {
      Allow: allow,
    });
  };
}

function patternToRegExp(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}
