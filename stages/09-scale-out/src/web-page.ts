import { Hono } from "hono";
import { readFileSync } from "node:fs";

/**
 * The page's Content-Security-Policy: the browser runs, styles and loads only files from this
 * server, and connects only back to it. No inline script runs, not even one an attacker managed
 * to put into the page, which makes a slip in escaping a blocked request instead of a stolen session.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const PUBLIC = new URL("../public/", import.meta.url);

const FILES = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/app.js": { file: "app.js", type: "text/javascript; charset=utf-8" },
  "/app.css": { file: "app.css", type: "text/css; charset=utf-8" },
} as const;

/**
 * A small page over the API (public/): sign in, list, add, finish. Its three files are read once,
 * at start-up, and served as they are; every todo it shows is data the script puts in with
 * textContent, so the server never builds HTML from what a user wrote.
 */
export function webPage() {
  const routes = new Hono();
  for (const [path, { file, type }] of Object.entries(FILES)) {
    const body = readFileSync(new URL(file, PUBLIC));
    routes.get(path, (c) =>
      c.body(body, 200, {
        "Content-Type": type,
        // the strict policy on every file, the page's own answer above all (server-kit's default
        // for the API, default-src 'none', would block the page's own script and style)
        "Content-Security-Policy": PAGE_CSP,
        "Cache-Control": "no-cache",
      }),
    );
  }
  return routes;
}
