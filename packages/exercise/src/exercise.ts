import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Step } from "./steps.js";

/** Where exercises live, and the `--exercises` option it came from, to repeat it in the commands we print. */
export interface Place {
  root: string;
  option?: string;
}

/** Where a step's exercise lives: the solution's folder name, under the exercises' folder. */
export const exerciseDir = (place: Place, step: Step) => join(place.root, step.stage.name);

export const isStarted = (place: Place, step: Step) =>
  existsSync(join(exerciseDir(place, step), "package.json"));

/** The command a learner types to do `action` on this step. */
export const command = (place: Place, action: string, step: Step, rest = "") =>
  [
    "npm run exercise --",
    action,
    step.stage.number,
    ...(place.option ? [`--exercises ${place.option}`] : []),
    ...(rest ? [rest] : []),
  ].join(" ");
