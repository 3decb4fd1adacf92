import { describe, expect, it, vi } from "vitest";

// k6 is not installed on every machine, so this runs the k6 script's own functions in Node with
// k6's modules replaced by recorders: it checks what the script sends and what handleSummary writes.
const sent: { method: string; url: string; body: unknown; headers: unknown }[] = [];
const counters: Record<string, number> = {};
vi.mock("k6/http", () => ({
  default: {
    request: (method: string, url: string, body: unknown, params: { headers: unknown }) => {
      sent.push({ method, url, body, headers: params.headers });
      return { status: method === "PUT" ? 404 : 200 };
    },
    get: () => {
      throw new Error("the tour passes FACTS, so the script must not fetch them");
    },
  },
}));
vi.mock("k6/metrics", () => ({
  Counter: class {
    constructor(private name: string) {}
    add(n: number) {
      counters[this.name] = (counters[this.name] ?? 0) + n;
    }
  },
}));

const script = "../k6/tour.ts";
const facts = { rows: 100, deepStart: 90, deepCursor: null, ids: ["a", "b", "c"] };
interface K6Script {
  options: { scenarios: Record<string, unknown>; thresholds: object; insecureSkipTLSVerify: boolean };
  setup: () => { requests: unknown[] };
  default: (data: { requests: unknown[] }) => void;
  handleSummary: (data: unknown) => Record<string, string>;
}

describe("the k6 load script (k6/tour.ts)", () => {
  it("cycles through the scenario's planned requests and reports in the tour's shape", async () => {
    const summaryPath = "/tmp/k6-summary.json";
    vi.stubGlobal("__ENV", {
      BASE_URL: "http://127.0.0.1:9",
      SCENARIO: "mixed",
      VUS: "7",
      DURATION: "3s",
      FACTS: JSON.stringify(facts),
      SUMMARY_PATH: summaryPath,
    });
    const k6 = (await import(/* @vite-ignore */ script)) as K6Script;
    expect(k6.options.scenarios).toEqual({ mixed: { executor: "constant-vus", vus: 7, duration: "3s" } });
    expect(Object.keys(k6.options.thresholds)).toEqual(["http_req_failed", "http_req_duration"]);

    const data = k6.setup();
    expect(data.requests).toHaveLength(10);
    for (let i = 0; i < 10; i++) k6.default(data);
    expect(sent.map((r) => `${r.method} ${r.url}`)).toContain("POST http://127.0.0.1:9/todo");
    expect(sent.map((r) => `${r.method} ${r.url}`)).toContain("PUT http://127.0.0.1:9/todo/c/finish");
    expect(sent.find((r) => r.method === "POST")?.headers).toEqual({
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expect(sent.filter((r) => r.method === "GET")).toHaveLength(8);
    expect(counters).toEqual({ non_2xx: 1 });

    const out = k6.handleSummary({
      state: { testRunDurationMs: 3000 },
      metrics: {
        http_reqs: { values: { count: 300, rate: 100 } },
        http_req_duration: { values: { med: 2.5, "p(90)": 6, "p(99)": 9, max: 31 } },
        non_2xx: { values: { count: 30 } },
      },
    });
    expect(JSON.parse(out[summaryPath]!)).toEqual({
      requests: 300,
      durationSec: 3,
      requestsPerSec: 100,
      p50Ms: 2.5,
      p99Ms: 9,
      p90Ms: 6,
      maxMs: 31,
      errors: 0,
      non2xx: 30,
    });
    expect(out["stdout"]).toContain("mixed: 100 req/s");
  });

  it("runs list-c1000 with its own 1,000 connections, against nginx's port unless told otherwise", async () => {
    vi.resetModules();
    sent.length = 0;
    vi.stubGlobal("__ENV", { SCENARIO: "list-c1000", DURATION: "3s", FACTS: JSON.stringify(facts) });
    const k6 = (await import(/* @vite-ignore */ script)) as K6Script;
    expect(k6.options.scenarios).toEqual({
      "list-c1000": { executor: "constant-vus", vus: 1_000, duration: "3s" },
    });
    k6.default(k6.setup());
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(["GET http://127.0.0.1:8888/todo"]);

    vi.resetModules();
    vi.stubGlobal("__ENV", { SCENARIO: "list-c1000", VUS: "50", BASE_URL: "http://127.0.0.1:9" });
    expect(((await import(/* @vite-ignore */ script)) as K6Script).options.scenarios).toEqual({
      "list-c1000": { executor: "constant-vus", vus: 50, duration: "10s" },
    });
  });

  it("sends HEADERS with every request and reaches list-tls over HTTPS, trusting the self-signed certificate", async () => {
    vi.resetModules();
    sent.length = 0;
    const HEADERS = JSON.stringify({ authorization: "Bearer t0ken" });
    vi.stubGlobal("__ENV", { SCENARIO: "mixed", HEADERS, FACTS: JSON.stringify(facts) });
    let k6 = (await import(/* @vite-ignore */ script)) as K6Script;
    expect(k6.options.insecureSkipTLSVerify).toBe(false);
    const data = k6.setup();
    for (let i = 0; i < 10; i++) k6.default(data);
    expect(sent.every((r) => (r.headers as Record<string, string>)["authorization"] === "Bearer t0ken")).toBe(
      true,
    );
    expect(sent.find((r) => r.method === "POST")?.headers).toEqual({
      authorization: "Bearer t0ken",
      "Content-Type": "application/x-www-form-urlencoded",
    });

    vi.resetModules();
    sent.length = 0;
    vi.stubGlobal("__ENV", { SCENARIO: "list-tls", HEADERS, FACTS: JSON.stringify(facts) });
    k6 = (await import(/* @vite-ignore */ script)) as K6Script;
    expect(k6.options.insecureSkipTLSVerify).toBe(true);
    k6.default(k6.setup());
    expect(sent.map((r) => `${r.method} ${r.url}`)).toEqual(["GET https://127.0.0.1:8443/todo"]);
  });
});
