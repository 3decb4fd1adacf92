import { type Condition, SCENARIOS, type ScenarioName } from "./scenarios.js";

/**
 * Each server's window split in two halves, in ABBA order: A₁ B₁ C₁ then C₂ B₂ A₂. Every server's
 * two halves sit at the same mean time, so a load on the machine that grows or fades over the pass
 * weighs on all of them alike: their ratio measures the servers, not the minute each one ran in.
 */
export function abba<T>(items: readonly T[]): { item: T; half: 1 | 2 }[] {
  return [
    ...items.map((item) => ({ item, half: 1 as const })),
    ...[...items].reverse().map((item) => ({ item, half: 2 as const })),
  ];
}

/**
 * Every window of `rounds` rounds over the same items, each round in ABBA halves and every other
 * round reversed, so no item always opens and closes a pass.
 */
export function roundsInHalves<T>(items: readonly T[], rounds: number) {
  return Array.from({ length: rounds }, (_, i) => i + 1).flatMap((round) =>
    abba(round % 2 === 0 ? [...items].reverse() : items).map((window) => ({ round, ...window })),
  );
}

/** The seconds of each half: load tools count whole seconds, so a half is never shorter than one. */
export const halfSecOf = (durationSec: number) => Math.max(1, Math.ceil(durationSec / 2));

/** One measured window of a round: half of a scenario on one server, or one export condition in full. */
export interface Step<T> {
  target: T;
  scenario: ScenarioName;
  half?: 1 | 2;
  condition?: Condition;
}

/**
 * The order of one round of the tour. Scenarios in their own order (reads first, writes last, so a
 * write never changes what a read sees); within a scenario, the servers that run it in ABBA halves,
 * so each ratio the table prints (a stage against the one before, against the raw reference) comes
 * from windows that alternate. Every other round reverses the servers, so none always opens and
 * closes a pass. A scenario measured under background exports runs its conditions whole, in turn:
 * its rows are compared with each other, on the same server.
 */
export function roundPlan<T extends { scenarios: readonly ScenarioName[] }>(
  targets: readonly T[],
  round: number,
): Step<T>[] {
  const order = round % 2 === 0 ? [...targets].reverse() : [...targets];
  const steps: Step<T>[] = [];
  for (const scenario of SCENARIOS) {
    const running = order.filter((t) => t.scenarios.includes(scenario.name));
    if (scenario.exports) {
      for (const target of running) {
        for (const condition of scenario.exports.conditions) {
          steps.push({ target, scenario: scenario.name, condition });
        }
      }
      continue;
    }
    for (const { item, half } of abba(running)) steps.push({ target: item, scenario: scenario.name, half });
  }
  return steps;
}
