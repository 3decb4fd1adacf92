import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { down } from "./down.js";
import { DRILL_RATE, DRILL_SETTINGS, madeForDrills, runDrill, type DrillRow } from "./drill.js";
import { DRILLS } from "./drills.js";
import { machine } from "./machine.js";
import { readState, STATE_DIR } from "./state.js";
import { Refused, up } from "./up.js";
import { Interrupted } from "./wait.js";

/** Results of the last `drill` (kept across `up`, which clears the rest of the state folder). */
export const DRILL_RESULTS = join(STATE_DIR, "drills", "latest.json");

export interface DrillsOptions {
  /** Names from DRILLS, in the order to run them. */
  names: readonly string[];
  progress?: (line: string) => void;
  /** Leave the topology the drills made up afterwards. */
  keep?: boolean;
  signal?: AbortSignal;
}

/**
 * Runs the drills one after another on one topology: the running one when it was made for drills,
 * else one made now (and taken down at the end unless `keep`). Writes DRILL_RESULTS, and returns it.
 */
export async function runDrills({ names, progress = () => {}, keep = false, signal }: DrillsOptions) {
  const state = readState();
  let made = false;
  if (state) {
    if (state.phase !== "up" || !madeForDrills(state)) {
      throw new Refused(
        "a topology not made for the drills is up (the drills raise its limits and shorten its job lock): npm run hosts -- down first",
      );
    }
    progress("drilling the running topology");
  } else {
    await up({ ...DRILL_SETTINGS, appEnv: { ...DRILL_SETTINGS.appEnv }, progress, signal }).catch(
      async (error) => {
        if (!(error instanceof Refused)) await down();
        throw error;
      },
    );
    made = true;
  }
  const rows: DrillRow[] = [];
  let results: DrillResults | undefined;
  try {
    for (const name of names) {
      if (signal?.aborted) throw new Interrupted(`interrupted before ${name}`);
      const drill = DRILLS.find((d) => d.name === name);
      if (!drill) throw new Error(`no drill named ${name}`);
      rows.push(await runDrill(drill, progress));
      results = write(rows);
    }
  } finally {
    if (made && !keep) {
      progress("taking the topology down");
      await down();
    }
  }
  return results!;
}

/** What DRILL_RESULTS holds: the drills run so far, and on what. */
export interface DrillResults {
  when: string;
  stage: string | undefined;
  apiHosts: number | undefined;
  loadPerSec: number;
  settings: typeof DRILL_SETTINGS;
  /** What ran it all: every host shares these cores. */
  cores: number;
  cpuModel: string;
  node: string;
  rows: DrillRow[];
}

function write(rows: DrillRow[]) {
  mkdirSync(join(STATE_DIR, "drills"), { recursive: true });
  const state = readState();
  const results: DrillResults = {
    when: new Date().toISOString(),
    stage: state?.stage,
    apiHosts: state?.apiHosts,
    loadPerSec: DRILL_RATE,
    settings: DRILL_SETTINGS,
    ...machine(),
    rows,
  };
  writeFileSync(DRILL_RESULTS, JSON.stringify(results, null, 2) + "\n");
  return results;
}
