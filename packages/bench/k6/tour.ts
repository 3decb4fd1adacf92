/**
 * The tour's k6 load script. It runs one scenario from `src/scenarios.ts` (the same definitions
 * autocannon and wrk use) against one server:
 *
 *   k6 run -e BASE_URL=http://127.0.0.1:8000 -e SCENARIO=list-deep-offset -e ROWS=10000 k6/tour.ts
 *
 * Env: BASE_URL (default the stage on :8000, or nginx on :8888 for a scenario through nginx), SCENARIO,
 * VUS (connections, default the scenario's own or 100), RATE (a steady rate in requests per
 * second instead of as fast as possible), DURATION (default 10s), ROWS (what the
 * server was seeded with), P95_MS (the p95 threshold, default 500), FACTS (JSON; the tour passes
 * what it already read from the server), SUMMARY_PATH (where handleSummary writes the result in
 * the tour's measurement shape). Needs k6 0.57 or later, which runs TypeScript directly.
 */
import http from "k6/http";
import { Counter } from "k6/metrics";
import type { Options } from "k6/options";
import {
  type Facts,
  type Measurement,
  PAGE_SIZE,
  type PlannedRequest,
  deepStartFor,
  scenarioNamed,
} from "../src/scenarios.ts";

const SCENARIO = __ENV["SCENARIO"] ?? "hello";
const scenario = scenarioNamed(SCENARIO);
if (!scenario) throw new Error(`unknown SCENARIO ${SCENARIO}`);

const BASE_URL =
  __ENV["BASE_URL"] ??
  (scenario.tls ? "https://127.0.0.1:8443" : `http://127.0.0.1:${scenario.throughNginx ? 8888 : 8000}`);
const VUS = Number(__ENV["VUS"] ?? scenario.connections ?? 100);
const DURATION = __ENV["DURATION"] ?? "10s";
const ROWS = Number(__ENV["ROWS"] ?? 10_000);
const P95_MS = Number(__ENV["P95_MS"] ?? 500);

// RATE (requests per second) asks for a steady arrival rate instead of VUS as fast as they can
const RATE = __ENV["RATE"] ? Number(__ENV["RATE"]) : undefined;
// HEADERS: a JSON object sent with every request, e.g. {"authorization":"Bearer …"} for stage 08 on
const HEADERS = JSON.parse(__ENV["HEADERS"] ?? "{}") as Record<string, string>;

export const options: Options = {
  scenarios: {
    [SCENARIO]: RATE
      ? {
          executor: "constant-arrival-rate",
          rate: RATE,
          timeUnit: "1s",
          duration: DURATION,
          preAllocatedVUs: VUS,
        }
      : { executor: "constant-vus", vus: VUS, duration: DURATION },
  },
  thresholds: {
    http_req_failed: ["rate<0.01"],
    http_req_duration: [`p(95)<${P95_MS}`],
  },
  summaryTrendStats: ["avg", "med", "p(90)", "p(95)", "p(99)", "max"],
  discardResponseBodies: true,
  // stage 08's nginx serves HTTPS with a self-signed certificate (npm run cert)
  insecureSkipTLSVerify: BASE_URL.startsWith("https:"),
};

const socketErrors = new Counter("socket_errors");
const non2xx = new Counter("non_2xx");

interface Page {
  data: { id: string }[];
  next?: string | null;
}

function getPage(path: string): Page {
  const res = http.get(BASE_URL + path, { responseType: "text", headers: HEADERS });
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
  return JSON.parse(res.body as string) as Page;
}

/** What the scenario needs to know about the server's data, read the same way as the Node tour. */
function gatherFacts(): Facts {
  if (__ENV["FACTS"]) return JSON.parse(__ENV["FACTS"]) as Facts;
  const facts: Facts = { rows: ROWS, deepStart: deepStartFor(ROWS), deepCursor: null, ids: [] };
  if (SCENARIO === "mixed")
    facts.ids = getPage("/todo")
      .data.slice(0, 3)
      .map((t) => t.id);
  if (SCENARIO === "list-deep-keyset") {
    facts.deepCursor = getPage(`/todo?start=${facts.deepStart - PAGE_SIZE}&limit=${PAGE_SIZE}`).next ?? null;
  }
  return facts;
}

export function setup(): { requests: PlannedRequest[] } {
  return { requests: scenario!.plan(gatherFacts()) };
}

let sent = 0;

export default function (data: { requests: PlannedRequest[] }) {
  const r = data.requests[sent++ % data.requests.length]!;
  const headers: Record<string, string> = {
    ...HEADERS,
    ...(r.contentType ? { "Content-Type": r.contentType } : {}),
  };
  const res = http.request(r.method, BASE_URL + r.path, r.body ?? null, { headers });
  if (res.status === 0) socketErrors.add(1);
  else if (res.status < 200 || res.status > 299) non2xx.add(1);
}

interface SummaryData {
  state: { testRunDurationMs: number };
  metrics: Record<string, { values: Record<string, number> } | undefined>;
}

export function handleSummary(data: SummaryData): Record<string, string> {
  const value = (metric: string, stat: string) => data.metrics[metric]?.values[stat] ?? 0;
  const durationSec = data.state.testRunDurationMs / 1000;
  const requests = value("http_reqs", "count");
  const measurement: Measurement = {
    requests,
    durationSec,
    requestsPerSec: value("http_reqs", "rate"),
    p50Ms: value("http_req_duration", "med"),
    p99Ms: value("http_req_duration", "p(99)"),
    p90Ms: value("http_req_duration", "p(90)"),
    maxMs: value("http_req_duration", "max"),
    errors: value("socket_errors", "count"),
    non2xx: value("non_2xx", "count"),
  };
  const json = JSON.stringify(measurement);
  const line =
    `${SCENARIO}: ${measurement.requestsPerSec.toFixed(0)} req/s, p50 ${measurement.p50Ms.toFixed(2)} ms, ` +
    `p99 ${measurement.p99Ms.toFixed(2)} ms, ${measurement.errors} errors, ${measurement.non2xx} non-2xx\n`;
  return __ENV["SUMMARY_PATH"]
    ? { [__ENV["SUMMARY_PATH"]]: json, stdout: line }
    : { stdout: `${line}${json}\n` };
}
