import { describe, expect, it } from "vitest";
import { summarize } from "../src/query-plans.js";

// The shapes of MongoDB's explain("executionStats") output, as documented for the classic
// engine (the tree under winningPlan) and the slot-based engine of 7.0+ (under winningPlan.queryPlan).
const stats = { totalDocsExamined: 10, totalKeysExamined: 10, executionTimeMillis: 0 };
const indexed = {
  stage: "LIMIT",
  inputStage: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "newest_first" } },
};

describe("summarizing a MongoDB plan for npm run explain", () => {
  it("reads the classic engine's winning plan, outermost stage first", () => {
    const plan = summarize({ queryPlanner: { winningPlan: indexed }, executionStats: stats });
    expect(plan).toEqual({
      stages: ["LIMIT", "FETCH", "IXSCAN newest_first"],
      docsExamined: 10,
      keysExamined: 10,
      millis: 0,
    });
  });

  it("reads the slot-based engine's plan, nested under queryPlan", () => {
    const plan = summarize({
      queryPlanner: { winningPlan: { queryPlan: indexed, slotBasedPlan: { stages: "…" } } },
      executionStats: stats,
    });
    expect(plan.stages).toEqual(["LIMIT", "FETCH", "IXSCAN newest_first"]);
  });

  it("follows the first input of a stage with several (an $or)", () => {
    const plan = summarize({
      queryPlanner: {
        winningPlan: { stage: "SORT", inputStage: { stage: "OR", inputStages: [{ stage: "COLLSCAN" }] } },
      },
      executionStats: { ...stats, totalDocsExamined: 1_000_000 },
    });
    expect(plan.stages).toEqual(["SORT", "OR", "COLLSCAN"]);
    expect(plan.docsExamined).toBe(1_000_000);
  });
});
