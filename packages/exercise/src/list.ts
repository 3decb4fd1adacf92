import { type Place, command, exerciseDir, isStarted } from "./exercise.js";
import { readLastCheck } from "./last-check.js";
import { shown } from "./shown.js";
import { steps } from "./steps.js";

/** `list`: each step, whether its exercise is started, and how its last check went. */
export function list(place: Place): number {
  const all = steps();
  const width = Math.max(...all.map(({ stage }) => stage.name.length));
  console.log(`Steps (an exercise starts as the stage before; npm run exercise -- start NN):`);
  for (const step of all) {
    const { stage, before } = step;
    const head = `  ${stage.name.padEnd(width)}  from ${before.name.padEnd(width)}  `;
    if (!isStarted(place, step)) {
      console.log(`${head}not started: ${command(place, "start", step)}`);
      continue;
    }
    const last = readLastCheck(exerciseDir(place, step));
    const when = last ? last.at.slice(0, 16).replace("T", " ") : "";
    const result = !last
      ? "never checked"
      : !last.built
        ? `✗ did not build (checked ${when} UTC)`
        : `${last.ok ? "✓" : "✗"} ${last.passed}/${last.total} of the step's tests pass${last.only ? ` (only ${last.only.join(", ")})` : ""} (checked ${when} UTC)`;
    console.log(`${head}${shown(exerciseDir(place, step))}: ${result}`);
  }
  return 0;
}
