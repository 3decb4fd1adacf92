import type { Facts, Measurement, PlannedRequest } from "../scenarios.js";

export type ToolName = "k6" | "autocannon" | "wrk";
export const TOOL_NAMES: readonly ToolName[] = ["k6", "autocannon", "wrk"];

export interface LoadRun {
  baseUrl: string;
  scenario: string;
  facts: Facts;
  requests: PlannedRequest[];
  durationSec: number;
  connections: number;
  /** A steady rate over all connections (requests per second), for tools with `steadyRate`. */
  ratePerSec?: number;
  /** Sent with every request: a signed-in client's `authorization` (stage 08 on). */
  headers?: Record<string, string>;
}

export interface LoadTool {
  name: ToolName;
  /**
   * Whether the tool can hold a steady rate (LoadRun.ratePerSec). autocannon cannot: its limiter
   * sends each second's quota at once, then waits for the next second.
   */
  steadyRate: boolean;
  /** e.g. "autocannon 9.0.0"; recorded in the results. */
  version: string;
  run: (load: LoadRun) => Promise<Measurement>;
}
