import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Step } from "./steps.js";

/** The copy's package name: its own, so it never passes for the workspace it was copied from. */
export const exercisePackageName = (step: Step) => `@zero-to-one/exercise-${step.stage.name}`;

/** Renames the copied package.json, changing that one line. */
export function giveOwnName(exerciseDir: string, step: Step) {
  const file = join(exerciseDir, "package.json");
  const text = readFileSync(file, "utf8");
  const renamed = text.replace(/("name"\s*:\s*")[^"]*(")/, `$1${exercisePackageName(step)}$2`);
  if (renamed === text) throw new Error(`${file} has no "name" to change`);
  writeFileSync(file, renamed);
}
