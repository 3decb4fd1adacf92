import { loadavg } from "node:os";
import { halfSecOf, roundsInHalves } from "./order.js";
import { type Machine, machineFacts, round2 } from "./results.js";
import type { Skipped } from "./targets.js";
import type { LoadTool } from "./tools/index.js";

/** What a measurement in ABBA halves is given, whatever it measures. */
export interface HalvesOptions {
  tool: LoadTool;
  durationSec: number;
  warmupSec: number;
  connections: number;
  rounds: number;
  log: (line: string) => void;
}

/** What a measurement in ABBA halves records about itself: when, where, with what, how. */
export interface HalvesRecord {
  date: string;
  wallSec: number;
  machine: Machine;
  tool: { name: string; version: string };
  settings: {
    durationSec: number;
    halfSec: number;
    warmupSec: number;
    connections: number;
    rounds: number;
    order: "abba-halves";
  };
}

/** Starts the clock of a measurement; `done()` at its end gives its record. */
export function startRecord(options: HalvesOptions) {
  const started = new Date();
  const loadAtStart = round2(loadavg()[0] ?? 0);
  const halfSec = halfSecOf(options.durationSec);
  const done = (): HalvesRecord => ({
    date: started.toISOString(),
    wallSec: Math.round((Date.now() - started.getTime()) / 1000),
    machine: machineFacts(loadAtStart),
    tool: { name: options.tool.name, version: options.tool.version },
    settings: {
      durationSec: options.durationSec,
      halfSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      rounds: options.rounds,
      order: "abba-halves",
    },
  });
  return { halfSec, done };
}

/** The line under a table: when, on what machine, with which tool, how many windows of how long. */
export function measuredLine({ date, machine: m, tool, settings: s }: HalvesRecord): string {
  return (
    `${date.slice(0, 10)}, ${m.cores} cores (${m.cpuModel}), Node ${m.node}, ${tool.version}, ` +
    `${s.connections} connections, median of ${s.rounds} round${s.rounds === 1 ? "" : "s"} × ${2 * s.halfSec} s ` +
    `(two halves of ${s.halfSec} s, ABBA)`
  );
}

/** One item's two halves of one round, in the order measured. */
export interface PairedHalves<T, M> {
  round: number;
  item: T;
  halves: [M, M];
}

export interface InHalvesOptions<T, M> {
  items: readonly T[];
  rounds: number;
  idOf: (item: T) => string;
  measure: (item: T, window: { round: number; half: 1 | 2 }) => Promise<M>;
  /** Called before each window with how many came before it and what it is. */
  progress?: (done: number, what: string) => void;
  /** Called once for an item whose window threw, with the reason that goes to `failures`. */
  onFailure?: (item: T, reason: string) => void | Promise<void>;
  /** Called before the first window of every round after the first, with the round's number. */
  beforeRound?: (round: number) => Promise<void>;
}

/**
 * Measures every window of `rounds` rounds in ABBA halves (src/order.ts) and pairs each item's two
 * halves of a round. An item whose window throws is measured no more: the reason goes to
 * `failures`, and the other items go on.
 */
export async function measureInHalves<T, M>(options: InHalvesOptions<T, M>) {
  const pairs: PairedHalves<T, M>[] = [];
  const failures: Skipped[] = [];
  const firstHalves = new Map<string, M>();
  let roundNow = 1;
  for (const [done, { round, item, half }] of roundsInHalves(options.items, options.rounds).entries()) {
    if (round !== roundNow) {
      roundNow = round;
      await options.beforeRound?.(round);
    }
    const id = options.idOf(item);
    options.progress?.(done, `round ${round}/${options.rounds} · ${id} · half ${half}`);
    if (failures.some((f) => f.id === id)) continue;
    try {
      const measured = await options.measure(item, { round, half });
      if (half === 1) firstHalves.set(id, measured);
      else pairs.push({ round, item, halves: [firstHalves.get(id)!, measured] });
    } catch (error) {
      const reason = `round ${round}, half ${half}: ${(error as Error).message.split("\n")[0]}`;
      failures.push({ id, reason });
      await options.onFailure?.(item, reason);
    }
  }
  return { pairs, failures };
}
