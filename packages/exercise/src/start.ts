import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CHECKER_FILES, checkerFilesNote, placeCheckerFiles } from "./checker-files.js";
import { copyStage } from "./copy-stage.js";
import { type Place, command, exerciseDir } from "./exercise.js";
import { chapterOf } from "./hints.js";
import { giveOwnName } from "./own-name.js";
import { linkPackages } from "./packages-link.js";
import { relocateTsconfig } from "./relocate.js";
import { shown } from "./shown.js";
import type { Step } from "./steps.js";

/**
 * `start NN`: the stage before, copied into the exercise's folder, ready to run, with the step's tests.
 * Returns the exit code.
 */
export function start(place: Place, step: Step, { force = false } = {}): number {
  const dir = exerciseDir(place, step);
  // anything already there is the learner's: only --force throws it away
  if (existsSync(dir) && !force) {
    console.error(
      [
        `${shown(dir)} is already started; it is left as it is.`,
        `  ${command(place, "check", step)}    checks it`,
        `  ${command(place, "diff", step)}     shows what you changed`,
        `  ${command(place, "start", step, "--force")}    throws it away and starts again from stages/${step.before.name}`,
      ].join("\n"),
    );
    return 1;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(place.root, { recursive: true });
  const problem = linkPackages(place.root);
  copyStage(step.before.dir, dir, CHECKER_FILES);
  relocateTsconfig(join(step.before.dir, "tsconfig.json"), join(dir, "tsconfig.json"));
  giveOwnName(dir, step);
  placeCheckerFiles(step.stage, dir);

  const { stage, before } = step;
  const chapter = chapterOf(stage);
  console.log(
    [
      `${shown(dir)}: stage ${before.number} (stages/${before.name}), to turn into stage ${stage.number} (${stage.name}).`,
      `${chapter ? `The chapter: ${shown(chapter)}. ` : ""}Change src/ (and package.json or what else the step needs), then:`,
      `  cd ${shown(dir)} && npm run dev    runs your copy, reloading on every save`,
      `  ${command(place, "check", step)}    runs stage ${stage.number}'s tests against it (--watch: on every save)`,
      `  ${command(place, "diff", step)}     your changes against stage ${before.number}, then against stage ${stage.number}`,
      checkerFilesNote(stage),
      ...(problem ? [`warning: ${problem}`] : []),
    ].join("\n"),
  );
  return 0;
}
