import { describe, expect, it } from "vitest";
import { measureInHalves } from "../src/halves.js";
import { abba, halfSecOf, roundPlan, roundsInHalves } from "../src/order.js";
import type { ScenarioName } from "../src/scenarios.js";

const target = (id: string, scenarios: ScenarioName[]) => ({ id, scenarios });
const targets = [
  target("ref-hello", ["hello"]),
  target("ref-page", ["list"]),
  target("01-hello", ["hello"]),
  target("02-memory", ["hello", "list", "mixed", "create"]),
  target("07-queue", ["hello", "list", "list-during-exports", "mixed", "create"]),
];
const named = (round: number) =>
  roundPlan(targets, round).map(
    (s) => `${s.scenario} ${s.target.id} ${s.half ? `half ${s.half}` : s.condition}`,
  );

describe("the order of a round", () => {
  it("measures each server in two halves, ABBA: A₁ B₁ C₁ then C₂ B₂ A₂", () => {
    expect(abba(["A", "B", "C"]).map(({ item, half }) => `${item}${half}`)).toEqual([
      "A1",
      "B1",
      "C1",
      "C2",
      "B2",
      "A2",
    ]);
    expect(abba([])).toEqual([]);
  });

  it("reverses every other round of ABBA halves, so no item always opens and closes a pass", () => {
    const windows = roundsInHalves(["A", "B"], 3).map(({ round, item, half }) => `${round}:${item}${half}`);
    expect(windows).toEqual([
      "1:A1",
      "1:B1",
      "1:B2",
      "1:A2",
      "2:B1",
      "2:A1",
      "2:A2",
      "2:B2",
      "3:A1",
      "3:B1",
      "3:B2",
      "3:A2",
    ]);
  });

  it("takes each scenario in turn and alternates the servers that run it, reversed every other round", () => {
    expect(named(1)).toEqual([
      "hello ref-hello half 1",
      "hello 01-hello half 1",
      "hello 02-memory half 1",
      "hello 07-queue half 1",
      "hello 07-queue half 2",
      "hello 02-memory half 2",
      "hello 01-hello half 2",
      "hello ref-hello half 2",
      "list ref-page half 1",
      "list 02-memory half 1",
      "list 07-queue half 1",
      "list 07-queue half 2",
      "list 02-memory half 2",
      "list ref-page half 2",
      "list-during-exports 07-queue idle",
      "list-during-exports 07-queue queue",
      "list-during-exports 07-queue inline",
      "mixed 02-memory half 1",
      "mixed 07-queue half 1",
      "mixed 07-queue half 2",
      "mixed 02-memory half 2",
      "create 02-memory half 1",
      "create 07-queue half 1",
      "create 07-queue half 2",
      "create 02-memory half 2",
    ]);
    expect(named(2).slice(0, 8)).toEqual([
      "hello 07-queue half 1",
      "hello 02-memory half 1",
      "hello 01-hello half 1",
      "hello ref-hello half 1",
      "hello ref-hello half 2",
      "hello 01-hello half 2",
      "hello 02-memory half 2",
      "hello 07-queue half 2",
    ]);
    expect(named(3)).toEqual(named(1));
  });

  it("puts both halves of every server of a scenario around the same middle, so a steady drift cancels", () => {
    for (const round of [1, 2]) {
      const plan = roundPlan(targets, round);
      for (const scenario of ["hello", "list", "mixed", "create"]) {
        const at = (id: string) =>
          plan.flatMap((s, i) => (s.scenario === scenario && s.target.id === id ? [i] : []));
        const middles = targets
          .map((t) => at(t.id))
          .filter((steps) => steps.length > 0)
          .map((steps) => {
            expect(steps).toHaveLength(2);
            return (steps[0]! + steps[1]!) / 2;
          });
        expect(new Set(middles).size, scenario).toBe(1);
      }
    }
  });

  it("measures a stage and the one before it, and a stage and its raw reference, alternately", () => {
    const plan = named(1);
    // between the two halves of 01-hello lie both halves of 02-memory, and the other way round
    const first = plan.indexOf("hello 01-hello half 1");
    const last = plan.indexOf("hello 01-hello half 2");
    const memory = [plan.indexOf("hello 02-memory half 1"), plan.indexOf("hello 02-memory half 2")];
    expect(memory.every((i) => i > first && i < last)).toBe(true);
    const reference = [plan.indexOf("hello ref-hello half 1"), plan.indexOf("hello ref-hello half 2")];
    expect(reference[0]).toBeLessThan(first);
    expect(reference[1]).toBeGreaterThan(last);
  });

  it("splits the window in halves of whole seconds, never shorter than one", () => {
    expect([1, 2, 3, 4, 5, 10].map(halfSecOf)).toEqual([1, 1, 2, 2, 3, 5]);
  });
});

describe("measureInHalves", () => {
  it("calls beforeRound once between two rounds, before the first window of the next", async () => {
    const events: string[] = [];
    await measureInHalves({
      items: ["a", "b"],
      rounds: 3,
      idOf: (item) => item,
      measure: async (item, { round, half }) => {
        events.push(`${round} ${item}${half}`);
        return 0;
      },
      beforeRound: async (round) => {
        events.push(`start ${round}`);
      },
    });
    expect(events).toEqual([
      "1 a1",
      "1 b1",
      "1 b2",
      "1 a2",
      "start 2",
      "2 b1",
      "2 a1",
      "2 a2",
      "2 b2",
      "start 3",
      "3 a1",
      "3 b1",
      "3 b2",
      "3 a2",
    ]);
  });
});
