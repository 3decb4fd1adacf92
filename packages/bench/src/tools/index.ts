import { autocannonTool } from "./autocannon.js";
import { createK6Tool, k6Version } from "./k6.js";
import type { LoadTool, ToolName } from "./tool.js";
import { createWrkTool, wrkVersion } from "./wrk.js";

export type { LoadRun, LoadTool, ToolName } from "./tool.js";
export { TOOL_NAMES } from "./tool.js";

/**
 * The tool asked for, or k6 when on PATH, else autocannon; `missing` says so when k6 would have
 * been the default. Throws a clear message when the tool asked for is missing.
 */
export function pickTool(asked?: ToolName): { tool: LoadTool; why: string; missing?: string } {
  if (asked === "autocannon") return { tool: autocannonTool, why: "asked for with --tool" };
  if (asked === "wrk") {
    const version = wrkVersion();
    if (!version)
      throw new Error("--tool wrk: wrk is not installed (apt-get install wrk; see npm run doctor)");
    return { tool: createWrkTool(version), why: "asked for with --tool" };
  }
  const k6 = k6Version();
  if (asked === "k6") {
    if (!k6)
      throw new Error(
        "--tool k6: k6 is not on PATH (see https://grafana.com/docs/k6/latest/set-up/install-k6/ and npm run doctor)",
      );
    return { tool: createK6Tool(k6), why: "asked for with --tool" };
  }
  if (k6) return { tool: createK6Tool(k6), why: "the default when k6 is on PATH" };
  return {
    tool: autocannonTool,
    why: "the embedded default, as k6 is not on PATH",
    missing: "k6 not found: measuring with the bundled autocannon (--tool wrk uses wrk when installed)",
  };
}
