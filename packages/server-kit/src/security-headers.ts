/**
 * What every answer of a JSON API should say to a browser that meets it: never guess another type
 * than the one declared (so a todo containing `<script>` stays text), and if this is ever shown as
 * a page, load nothing and let no other site frame it. HSTS belongs to whatever terminates TLS in
 * front of the service, not to a server that speaks plain HTTP.
 *
 * They are written by the Node server, not by a Hono middleware: @hono/node-server sends a response
 * whose only header is its Content-Type straight to the socket, but any header a middleware adds
 * turns it into a full `Headers` object first, which costs more than a whole hello-world answer
 * (measured in docs/02-memory.md).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
};
