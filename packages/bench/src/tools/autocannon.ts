import { createRequire } from "node:module";
import autocannon from "autocannon";
import type { Measurement } from "../scenarios.js";
import type { LoadRun, LoadTool } from "./tool.js";

const version = (createRequire(import.meta.url)("autocannon/package.json") as { version: string }).version;

/** The embedded default: autocannon's programmatic API, in the tour's own process. */
export const autocannonTool: LoadTool = {
  name: "autocannon",
  version: `autocannon ${version}`,
  steadyRate: false,
  run: async (load: LoadRun): Promise<Measurement> => {
    const result = await autocannon({
      url: load.baseUrl,
      connections: load.connections,
      duration: load.durationSec,
      requests: load.requests.map((r) => ({
        method: r.method,
        path: r.path,
        ...(r.body === undefined ? {} : { body: r.body }),
        headers: { ...load.headers, ...(r.contentType ? { "content-type": r.contentType } : {}) },
      })),
    });
    const requests = result.requests.total;
    return {
      requests,
      durationSec: result.duration,
      requestsPerSec: requests / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      p90Ms: result.latency.p90,
      maxMs: result.latency.max,
      errors: result.errors,
      non2xx: result.non2xx,
    };
  },
};
