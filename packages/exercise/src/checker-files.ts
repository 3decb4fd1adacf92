import { copyFileSync, existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { copyStage } from "./copy-stage.js";
import { relocateTsconfig } from "./relocate.js";
import type { Stage } from "./steps.js";

/** What `check` owns in an exercise: the solution's tests, their config, and the build config it compiles with. */
export const CHECKER_FILES = ["test", "vitest.config.ts", "tsconfig.build.json"] as const;

export const checkerFilesNote = (stage: Stage) =>
  `${CHECKER_FILES.join(", ")} are stage ${stage.number}'s own: every check puts them back as they are in stages/${stage.name}.`;

/** Puts the solution's tests and configs into the exercise, replacing whatever is there. */
export function placeCheckerFiles(stage: Stage, exerciseDir: string) {
  for (const name of CHECKER_FILES) {
    const from = join(stage.dir, name);
    const to = join(exerciseDir, name);
    rmSync(to, { recursive: true, force: true });
    if (!existsSync(from)) continue;
    if (name === "test") copyStage(from, to);
    else copyFileSync(from, to);
    if (name.startsWith("tsconfig")) relocateTsconfig(from, to);
  }
}
