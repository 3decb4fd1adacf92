/**
 * The benchmark scenarios, defined once. This file imports nothing, so the Node tour (autocannon,
 * wrk) and the k6 scripts (`k6/tour.ts`) read the very same definitions: each scenario turns the
 * facts about a running server into the list of requests every tool cycles through.
 */

/** What a scenario needs to know about the data a running server holds. */
export interface Facts {
  /** How many todos were seeded. */
  rows: number;
  /** The offset of the deep page (the last full page of the seeded data). */
  deepStart: number;
  /** The keyset cursor that opens the same deep page (stages 04+), or null. */
  deepCursor: string | null;
  /** Ids of seeded todos that `mixed` reads and finishes. */
  ids: string[];
}

export interface PlannedRequest {
  method: "GET" | "POST" | "PUT";
  path: string;
  body?: string;
  contentType?: string;
}

export interface Scenario {
  name: ScenarioName;
  /** One line for the docs. */
  summary: string;
  /** The first stage that has what the scenario needs (stage 01 has only /index). */
  fromStage: number;
  /** The last stage it applies to, when a later stage replaced it (list-c1000 by list-tls). */
  toStage?: number;
  /** The requests each connection sends in turn, over and over. */
  plan: (facts: Facts) => PlannedRequest[];
  /** Measured under background exports, once per condition, instead of once on its own. */
  exports?: ExportLoad;
  /** Connections of this scenario's load, whatever --connections says. */
  connections?: number;
  /** Sent to nginx, started with the stage's own nginx.conf in front of the stage, not to the stage. */
  throughNginx?: true;
  /** …over HTTPS: the stage's nginx.conf holds a certificate (stage 08 on). */
  tls?: true;
  /** The scenario that sends the same requests at the same load straight to the stage. */
  direct?: ScenarioName;
}

/**
 * What runs beside the measured requests: nothing (`idle`), exports on the stage's queue with a
 * worker process (`queue`), or the same exports inside the request (`inline`, `?inline=1`).
 */
export const CONDITIONS = ["idle", "queue", "inline"] as const;
export type Condition = (typeof CONDITIONS)[number];

export interface ExportLoad {
  conditions: readonly Condition[];
  /** Clients, each running one export after another for the whole measurement window. */
  clients: number;
  /** Connections of the measured load, whatever --connections says. */
  connections: number;
  /**
   * The measured load's steady rate, in requests per second over all connections. The lesson is
   * how long an ordinary request waits beside exports, so the load stays well below what the
   * server can take: at full speed, p99 would measure the queue in front of a saturated server.
   */
  ratePerSec: number;
}

export const SCENARIO_NAMES = [
  "hello",
  "list",
  "list-deep-offset",
  "list-deep-keyset",
  "list-during-exports",
  "list-c1000",
  "list-tls",
  "mixed",
  "create",
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export const PAGE_SIZE = 10;

const FORM = "application/x-www-form-urlencoded";
const createTodo: PlannedRequest = {
  method: "POST",
  path: "/todo",
  body: "content=buy+milk+and+measure+the+server",
  contentType: FORM,
};

/** In the order the tour runs them: reads first, writes last, so writes never shift what reads see. */
export const SCENARIOS: readonly Scenario[] = [
  {
    name: "hello",
    summary: "GET /index: the framework and nothing else",
    fromStage: 1,
    plan: () => [{ method: "GET", path: "/index" }],
  },
  {
    name: "list",
    summary: "GET /todo: the first page (stage 02 has no paging and answers every todo)",
    fromStage: 2,
    plan: () => [{ method: "GET", path: "/todo" }],
  },
  {
    name: "list-deep-offset",
    summary: "GET /todo?start=N: the last page, found by offset as in the article",
    fromStage: 3,
    plan: (f) => [{ method: "GET", path: `/todo?start=${f.deepStart}&limit=${PAGE_SIZE}` }],
  },
  {
    name: "list-deep-keyset",
    summary: "GET /todo?before=cursor: the same last page, found by keyset cursor",
    fromStage: 4,
    plan: (f) => {
      if (!f.deepCursor) throw new Error("list-deep-keyset needs a cursor for the deep page");
      return [{ method: "GET", path: `/todo?before=${encodeURIComponent(f.deepCursor)}&limit=${PAGE_SIZE}` }];
    },
  },
  {
    name: "list-during-exports",
    summary:
      "GET /todo (first page), at a steady 1,000 req/s with wrk or k6, while 2 clients export every todo: idle, on the queue, inline",
    fromStage: 7,
    plan: () => [{ method: "GET", path: "/todo" }],
    exports: { conditions: CONDITIONS, clients: 2, connections: 10, ratePerSec: 1_000 },
  },
  {
    // the article's load from nginx on: wrk -c 1000 through nginx in front of gunicorn
    name: "list-c1000",
    summary: "GET /todo (first page), 1,000 connections, through nginx",
    fromStage: 5,
    // from stage 08 on, nginx serves the app only over HTTPS: list-tls
    toStage: 7,
    plan: () => [{ method: "GET", path: "/todo" }],
    connections: 1_000,
    throughNginx: true,
  },
  {
    // what `list` costs once nginx holds the certificate: TLS, and the proxy hop
    name: "list-tls",
    summary:
      "GET /todo (first page) over HTTPS through nginx, the stage's own nginx.conf with its limit_req rates raised (one address sends the whole load)",
    fromStage: 8,
    plan: () => [{ method: "GET", path: "/todo" }],
    throughNginx: true,
    tls: true,
    direct: "list",
  },
  {
    name: "mixed",
    summary: "8 reads (first page, one todo) to 1 create and 1 finish",
    fromStage: 2,
    plan: (f) => {
      const id = (i: number) => encodeURIComponent(f.ids[i % Math.max(1, f.ids.length)] ?? "missing");
      return [
        { method: "GET", path: "/todo" },
        { method: "GET", path: `/todo/${id(0)}` },
        { method: "GET", path: "/todo" },
        { method: "GET", path: "/todo" },
        createTodo,
        { method: "GET", path: "/todo" },
        { method: "GET", path: `/todo/${id(1)}` },
        { method: "GET", path: "/todo" },
        { method: "PUT", path: `/todo/${id(2)}/finish` },
        { method: "GET", path: "/todo" },
      ];
    },
  },
  {
    name: "create",
    summary: "POST /todo as a form, like the article's `http -f`",
    fromStage: 2,
    plan: () => [createTodo],
  },
];

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The offset of the last full page; never below one page, so its keyset cursor exists. */
export function deepStartFor(rows: number): number {
  return Math.max(PAGE_SIZE, rows - PAGE_SIZE);
}

/** One measurement: the shape every tool's runner (autocannon, wrk, k6's handleSummary) returns. */
export interface Measurement {
  /** Completed requests (any status). */
  requests: number;
  durationSec: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Also in the tours since the export scenario; absent from older results files. */
  p90Ms?: number;
  maxMs?: number;
  /** Socket errors and timeouts. */
  errors: number;
  /** Answers with a status outside 2xx. */
  non2xx: number;
}
