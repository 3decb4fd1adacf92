import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "./build.js";
import { checkerFilesNote, placeCheckerFiles } from "./checker-files.js";
import { type Place, command, exerciseDir, isStarted } from "./exercise.js";
import { hintFor } from "./hints.js";
import { saveLastCheck } from "./last-check.js";
import { report } from "./report.js";
import { judge, passes } from "./requirements.js";
import { shown } from "./shown.js";
import type { Stage, Step } from "./steps.js";
import { type Progress, suite } from "./suite.js";
import type { SuiteResult } from "./suite-result.js";

export interface CheckOptions {
  /** Only these files of the stage's test/ (`paging.test.ts`). */
  only?: readonly string[];
}

/** A stage's test files: what `--only` may name. */
export const testFiles = (stage: Stage) =>
  readdirSync(join(stage.dir, "test"), { recursive: true })
    .map(String)
    .filter((name) => /\.test\.[cm]?[jt]s$/.test(name))
    .sort();

/** Listings of the stages' own tests, kept for the next check of a --watch: they do not change meanwhile. */
const listings = new Map<string, Promise<SuiteResult>>();
const listed = (stage: Stage, out: string, files: readonly string[]) => {
  const key = `${stage.dir}\u0000${files.join("\u0000")}`;
  if (!listings.has(key)) {
    const listing = suite("collect", stage.dir, out, files);
    listing.catch(() => listings.delete(key));
    listings.set(key, listing);
  }
  return listings.get(key)!;
};

/** The chapter's section for each test file, read once per check. */
const hints = (stage: Stage) => {
  const found = new Map<string, string | undefined>();
  return (file: string) => {
    if (!found.has(file)) found.set(file, hintFor(stage, file));
    return found.get(file);
  };
};

const progress: Progress = (file, tests, failed, loaded) =>
  console.log(
    loaded
      ? `  ${failed ? "✗" : "·"} ${file}: ${tests} test${tests === 1 ? "" : "s"}${failed ? `, ${failed} failing` : ""}`
      : `  ✗ ${file}: cannot load`,
  );

/** `check NN`: the stage's own tests against the learner's copy, and a report in the step's terms. Returns the exit code. */
export async function check(place: Place, step: Step, options: CheckOptions = {}): Promise<number> {
  const only = options.only?.map((file) => file.replace(/^test\//, ""));
  const dir = exerciseDir(place, step);
  const { stage, before } = step;
  if (!isStarted(place, step)) {
    console.error(`${shown(dir)} is not started yet: ${command(place, "start", step)}`);
    return 1;
  }
  const all = testFiles(stage);
  const unknown = (only ?? []).filter((file) => !all.includes(file));
  if (unknown.length) {
    console.error(
      `stage ${stage.number} has no test file ${unknown.join(", ")}; its files: ${all.join(", ")}`,
    );
    return 2;
  }
  const files = only ?? [];
  const beforeFiles = files.filter((file) => existsSync(join(before.dir, "test", file)));
  const work = join(dir, ".check");

  placeCheckerFiles(stage, dir);
  console.log(
    `Checking ${shown(dir)} with stage ${stage.number}'s tests (${files.length ? files.join(", ") : `all ${all.length} files`}).`,
  );
  console.log(checkerFilesNote(stage));
  const built = await build(dir);
  const hint = hints(stage);
  if (!built.ok) {
    console.log(`\n${report({ step, build: built, hint })}`);
    saveLastCheck(dir, undefined, only);
    return 1;
  }
  // which tests are the step's: those of the solution the stage before does not have
  const nothing: SuiteResult = { tests: [], fileErrors: [], unhandled: [], skipLines: [] };
  let solution, earlier, run;
  try {
    [solution, earlier] = await Promise.all([
      listed(stage, join(work, "solution.json"), files),
      files.length && !beforeFiles.length ? nothing : listed(before, join(work, "before.json"), beforeFiles),
    ]);
    run = await suite("run", dir, join(work, "run.json"), files, progress);
  } catch (error) {
    console.log(`\n✗ the tests could not run: ${(error as Error).message}`);
    return 1;
  }
  const verdict = judge(step, solution, earlier, run);
  console.log(`\n${report({ step, build: built, verdict, ...(only ? { only } : {}), hint })}`);
  saveLastCheck(dir, verdict, only);
  return passes(verdict) ? 0 : 1;
}
