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
}

export interface LoadTool {
  name: ToolName;
  /** e.g. "autocannon 9.0.0"; recorded in the results. */
  version: string;
  run: (load: LoadRun) => Promise<Measurement>;
}
