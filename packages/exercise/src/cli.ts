#!/usr/bin/env node
/**
 * npm run exercise [-- list]                   each step, started or not, and its last check
 * npm run exercise -- start NN [--force]       the stage before NN, copied into exercises/NN-name
 * npm run exercise -- check NN [--watch] [--only FILE,…]   stage NN's tests against that copy
 * npm run exercise -- diff NN                  the copy against the stage before, then against stage NN
 * --exercises DIR (or ZTO_EXERCISES) puts the exercises elsewhere than exercises/.
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { check } from "./check.js";
import { diff } from "./diff.js";
import { type Place, exerciseDir, isStarted } from "./exercise.js";
import { list } from "./list.js";
import { exercisesRoot } from "./repository.js";
import { start } from "./start.js";
import { findStep, steps } from "./steps.js";
import { watchChecks } from "./watch.js";

const USAGE = `usage: npm run exercise [-- list]
       npm run exercise -- start NN [--force]
       npm run exercise -- check NN [--watch] [--only FILE,…]
       npm run exercise -- diff NN
  NN is a step: ${steps()
    .map(({ stage }) => stage.number)
    .join(", ")}; --exercises DIR (or ZTO_EXERCISES) keeps the exercises elsewhere than exercises/`;

function fail(message: string): never {
  console.error(`exercise: ${message}\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      force: { type: "boolean", default: false },
      watch: { type: "boolean", default: false },
      only: { type: "string", multiple: true },
      exercises: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [action = "list", wanted, ...extra] = positionals;
if (extra.length) fail(`one step at a time, not ${[wanted, ...extra].join(" ")}`);
const place: Place = {
  root: exercisesRoot(values.exercises),
  ...(values.exercises ? { option: values.exercises } : {}),
};

const only = values.only?.flatMap((item) =>
  item
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
const onlyWith = (given: boolean, option: string, command: string) => {
  if (given && action !== command) fail(`${option} goes with ${command}`);
};
onlyWith(values.force, "--force", "start");
onlyWith(values.watch, "--watch", "check");
onlyWith(only !== undefined, "--only", "check");

if (action === "list") {
  if (wanted) fail("list takes no step");
  process.exit(list(place));
}
if (!["start", "check", "diff"].includes(action)) fail(`no command ${action}`);
if (!wanted) fail(`${action} needs a step`);
const step = findStep(wanted) ?? fail(`no step ${wanted}`);

if (action === "start") process.exit(start(place, step, { force: values.force }));
if (action === "diff") process.exit(diff(place, step));
const options = only ? { only } : {};
if (values.watch && isStarted(place, step))
  await watchChecks(join(exerciseDir(place, step), "src"), () => check(place, step, options));
process.exitCode = await check(place, step, options);
