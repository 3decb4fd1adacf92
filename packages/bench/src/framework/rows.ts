/** The rows of the framework-cost breakdown, from a raw node:http hello to stage 06's cached page. */
export const ROW_IDS = ["A", "B", "C", "D", "E", "F", "G", "H", "I"] as const;
export type RowId = (typeof ROW_IDS)[number];

export interface FrameworkRow {
  id: RowId;
  label: string;
  /** The request every connection sends, over and over. */
  path: "/index" | "/todo";
  /** What serves it: a reference server of this package, or a built stage. */
  server: { reference: string } | { stage: number };
  /** It answers the bytes of E's page, read from a file; without E, its own page or nothing at all. */
  answersEsPage?: "or its own" | "only";
  /** The row this one is compared with, in CPU µs per request, and what the difference is. */
  base?: RowId;
  adds?: string;
}

export const ROWS: readonly FrameworkRow[] = [
  {
    id: "A",
    label: "raw node:http hello",
    path: "/index",
    server: { reference: "dist/reference/hello.js" },
  },
  {
    id: "B",
    label: "raw node:http hello + 2 security headers",
    path: "/index",
    server: { reference: "dist/reference/hello-headers.js" },
    base: "A",
    adds: "the two security headers",
  },
  {
    id: "C",
    label: "bare Hono (@hono/node-server), one route",
    path: "/index",
    server: { reference: "dist/reference/hono.js" },
    base: "A",
    adds: "adapter, routing, c.json()",
  },
  {
    id: "D",
    label: "stage 01: Hono + server-kit",
    path: "/index",
    server: { stage: 1 },
    base: "C",
    adds: "server-kit: headers + in-flight tracking",
  },
  {
    id: "E",
    label: "stage 06 first page, cache hit, 1 worker",
    path: "/todo",
    server: { stage: 6 },
    base: "I",
    adds: "the real cache and its worker: L1 checked, Redis connected",
  },
  {
    id: "F",
    label: "raw node:http, E's page bytes",
    path: "/todo",
    server: { reference: "dist/reference/page.js" },
    answersEsPage: "or its own",
    base: "A",
    adds: "E's page instead of hello",
  },
  {
    id: "G",
    label: "bare Hono + a request listener (setHeader, once)",
    path: "/index",
    server: { reference: "dist/reference/hono-request-listener.js" },
    base: "C",
    adds: "server-kit's earlier way: the same, before the app",
  },
  {
    id: "H",
    label: "Hono + server-kit, E's page bytes from a constant (async route)",
    path: "/todo",
    server: { reference: "dist/reference/kit-page.js" },
    answersEsPage: "only",
    base: "D",
    adds: "E's page instead of hello, no cache",
  },
  {
    id: "I",
    label: "stage 06's app, its cache a constant page (1 process)",
    path: "/todo",
    server: { reference: "dist/reference/stage06-app-page.js" },
    answersEsPage: "only",
    base: "H",
    adds: "stage 06's app: its routes, the query read",
  },
];

export const rowNamed = (id: RowId) => ROWS.find((row) => row.id === id)!;

/** The ratios the breakdown aims for: "E ≥ 0.9 × D" and "D ≥ 0.85 × A". */
export const GOALS: readonly { row: RowId; of: RowId; atLeast: number }[] = [
  { row: "D", of: "A", atLeast: 0.85 },
  { row: "E", of: "D", atLeast: 0.9 },
];
