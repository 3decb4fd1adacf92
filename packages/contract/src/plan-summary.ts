import { describe, expect, it } from "vitest";
import type { PlanLike } from "./mongo-explain.js";

export interface PlanSummaryOptions {
  /** The stage's summarize (src/query-plans.ts): an explain answer, read as npm run explain prints it. */
  summarize: (explained: Record<string, unknown>) => PlanLike;
}

// The shapes of MongoDB's explain("executionStats") output, as documented for the classic
// engine (the tree under winningPlan) and the slot-based engine of 7.0+ (under winningPlan.queryPlan).
const stats = { totalDocsExamined: 10, totalKeysExamined: 10, executionTimeMillis: 0 };
const indexed = {
  stage: "LIMIT",
  inputStage: { stage: "FETCH", inputStage: { stage: "IXSCAN", indexName: "newest_first" } },
};

// What FerretDB v1.24.2 (SQLite handler) answers to the same explain: SQLite's EXPLAIN QUERY PLAN
// rows, which parts of the query went into the SQL, and no executionStats.
const ferretDbAnswer = {
  queryPlanner: { Plan: ["id=2 parent=0 notused=0 detail=SCAN todos_50261b0a"] },
  explainVersion: "1",
  command: { find: "todos", filter: {}, sort: { created_at: -1, _id: -1 }, limit: 10, $db: "todo" },
  serverInfo: { host: "vm", version: "7.0.42", gitVersion: "unknown", ferretdbVersion: "v1.24.2" },
  filterPushdown: false,
  sortPushdown: false,
  limitPushdown: true,
  ok: 1,
};

/** The stage's reading of explain answers, on the documented shapes: no server needed. */
export function describePlanSummary({ summarize }: PlanSummaryOptions) {
  const mongoDbPlan = (explained: Record<string, unknown>) => {
    const plan = summarize(explained);
    if (!("stages" in plan)) throw new Error(`not read as a MongoDB plan: ${JSON.stringify(plan)}`);
    return plan;
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
      const plan = mongoDbPlan({
        queryPlanner: { winningPlan: { queryPlan: indexed, slotBasedPlan: { stages: "…" } } },
        executionStats: stats,
      });
      expect(plan.stages).toEqual(["LIMIT", "FETCH", "IXSCAN newest_first"]);
    });

    it("follows the first input of a stage with several (an $or)", () => {
      const plan = mongoDbPlan({
        queryPlanner: {
          winningPlan: { stage: "SORT", inputStage: { stage: "OR", inputStages: [{ stage: "COLLSCAN" }] } },
        },
        executionStats: { ...stats, totalDocsExamined: 1_000_000 },
      });
      expect(plan.stages).toEqual(["SORT", "OR", "COLLSCAN"]);
      expect(plan.docsExamined).toBe(1_000_000);
    });
  });

  describe("summarizing what FerretDB answers instead", () => {
    it("reads its SQL plan, one step a line, and what it pushed down into the SQL", () => {
      expect(summarize(ferretDbAnswer)).toEqual({
        ferretdb: "v1.24.2",
        sqlPlan: ["SCAN todos_50261b0a"],
        pushdown: { filter: false, sort: false, limit: true },
      });
    });

    it("says so, instead of inventing numbers, when an answer has no plan it can read", () => {
      const plan = summarize({ queryPlanner: { namespace: "todo.todos" }, ok: 1 });
      expect(plan).toEqual({ unexplained: expect.stringContaining('"namespace":"todo.todos"') });
    });
  });
}
