import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { stagesDir } from "./repository.js";

/** A stage folder: `04-index` in stages/. */
export interface Stage {
  name: string;
  /** "04" */
  number: string;
  dir: string;
}

/** A step: what turns the stage before into this one. Its exercise starts as a copy of `before`. */
export interface Step {
  stage: Stage;
  before: Stage;
}

/** The stages in stages/, in order: every `NN-name` folder with a package.json. */
export function stages(root = stagesDir): Stage[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{2}-/.test(entry.name))
    .filter((entry) => existsSync(join(root, entry.name, "package.json")))
    .map((entry) => ({ name: entry.name, number: entry.name.slice(0, 2), dir: join(root, entry.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every step: each stage but the first, with the stage before it. */
export function steps(root = stagesDir): Step[] {
  const all = stages(root);
  return all.slice(1).map((stage, i) => ({ stage, before: all[i]! }));
}

/** The step `wanted` names: "04", "4" or "04-index". */
export function findStep(wanted: string, root = stagesDir): Step | undefined {
  const number = /^\d+$/.test(wanted) ? wanted.padStart(2, "0") : undefined;
  return steps(root).find(({ stage }) => stage.name === wanted || stage.number === number);
}
