import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CHECKER_FILES } from "./checker-files.js";
import { type Place, command, exerciseDir, isStarted } from "./exercise.js";
import { repoRoot } from "./repository.js";
import { isInside, shown } from "./shown.js";
import type { Step } from "./steps.js";

/**
 * Never part of a step's diff: what `check` owns, the editor's config, the stage's README, how the
 * repository runs its tests (turbo.json), what builds make.
 */
const NOT_THE_STEP = new Set<string>([
  ...CHECKER_FILES,
  "tsconfig.json",
  "README.md",
  "turbo.json",
  "node_modules",
  "dist",
  ".turbo",
  ".data",
  ".vitest",
  ".check",
]);

/** The package name is the copy's own, so it is never a change. */
const NAME_LINE = '^  "name": ';

const differ = (a: string, b: string) => spawnSync("diff", ["-rq", a, b]).status !== 0;

/** What the step changes besides src/: the top-level files and folders that differ between the two stages. */
export function stepEntries(step: Step): string[] {
  const names = new Set([...readdirSync(step.before.dir), ...readdirSync(step.stage.dir)]);
  const others = [...names]
    .filter((name) => name !== "src" && !NOT_THE_STEP.has(name))
    .filter((name) => differ(join(step.before.dir, name), join(step.stage.dir, name)))
    .sort();
  return ["src", ...others];
}

/** `diff -ruN` of each entry between two folders, as paths the learner can type when both are in the repository. */
function diffEntries(from: string, to: string, entries: readonly string[]): string {
  const inRepo = isInside(from, repoRoot) && isInside(to, repoRoot);
  const path = (dir: string, entry: string) => (inRepo ? join(shown(dir), entry) : join(dir, entry));
  let text = "";
  for (const entry of entries) {
    if (!existsSync(join(from, entry)) && !existsSync(join(to, entry))) continue;
    const ignore = entry === "package.json" ? ["-I", NAME_LINE] : [];
    const run = spawnSync("diff", ["-ruN", ...ignore, path(from, entry), path(to, entry)], {
      cwd: inRepo ? repoRoot : undefined,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.error) throw new Error(`diff could not run: ${run.error.message}`);
    if ((run.status ?? 2) > 1) throw new Error(run.stderr.trim());
    text += run.stdout;
  }
  return text;
}

/** `diff NN`: the learner's changes to the stage before, then what still differs from the solution. */
export function diff(place: Place, step: Step): number {
  const dir = exerciseDir(place, step);
  if (!isStarted(place, step)) {
    console.error(`${shown(dir)} is not started yet: ${command(place, "start", step)}`);
    return 1;
  }
  const entries = stepEntries(step);
  const { before, stage } = step;
  const sections = [
    [
      `your changes to stage ${before.number} (diff -ruN stages/${before.name} ${shown(dir)})`,
      diffEntries(before.dir, dir, entries),
    ],
    [
      `what differs from stage ${stage.number} (diff -ruN ${shown(dir)} stages/${stage.name}: - yours, + the solution's)`,
      diffEntries(dir, stage.dir, entries),
    ],
  ] as const;
  console.log(`The step's files: ${entries.join(", ")}.`);
  for (const [title, text] of sections)
    console.log(`\n=== ${title}\n${text.trim() ? text.trimEnd() : "(no difference)"}`);
  return 0;
}
