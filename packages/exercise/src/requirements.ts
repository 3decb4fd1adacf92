import type { SuiteResult, TestResult } from "./suite-result.js";
import type { Step } from "./steps.js";

/** One test of the solution and how it went in the exercise. */
export interface Line {
  file: string;
  name: string;
  state: "passed" | "failed" | "skipped" | "not run";
  /** Why it failed, or why it did not run. */
  error?: string;
  /** Why it was skipped, when the test said so. */
  note?: string;
}

export interface Verdict {
  /** The tests this stage has and the stage before does not: the step's requirements. */
  requirements: Line[];
  /** The tests both stages have: what the stage before already did. */
  shared: Line[];
  /** Failures the lines above do not show: a test the listing did not have, an error outside tests. */
  other: string[];
  /** The test files that could not load or did not finish in the exercise, with why. */
  unloaded: Map<string, string>;
  skipLines: string[];
}

/**
 * A test's identity across two stages: its file and name, with the stages' own names and the
 * contract's level taken out (`04-index …(level 4)` in stage 04 is `03-mongo …(level 3)` in 03).
 */
export function identity(test: Pick<TestResult, "file" | "name">, step: Step) {
  let name = test.name;
  for (const stage of [step.stage, step.before]) name = name.replaceAll(stage.name, "NN");
  return `${test.file}\u0000${name.replace(/\(level \d+\)/g, "(level N)")}`;
}

/**
 * Splits the solution's tests (`listed`, from its own folder) into the step's and the ones the stage
 * before has too (`before`), and finds how each went in the exercise's `run`.
 */
export function judge(step: Step, listed: SuiteResult, before: SuiteResult, run: SuiteResult): Verdict {
  const earlier = new Set(before.tests.map((test) => identity(test, step)));
  const results = new Map(run.tests.map((test) => [`${test.file}\u0000${test.name}`, test]));
  const unloaded = new Map(run.fileErrors.map(({ file, error }) => [file, error]));
  const line = (test: TestResult): Line => {
    const result = results.get(`${test.file}\u0000${test.name}`);
    results.delete(`${test.file}\u0000${test.name}`);
    if (!result || result.state === "pending") {
      const why = unloaded.get(test.file);
      return {
        file: test.file,
        name: test.name,
        state: "not run",
        ...(why ? { error: `${test.file} ${why}` } : {}),
      };
    }
    return { ...result, state: result.state };
  };
  const requirements: Line[] = [];
  const shared: Line[] = [];
  for (const test of listed.tests)
    (earlier.has(identity(test, step)) ? shared : requirements).push(line(test));
  const other = [
    ...[...results.values()]
      .filter((test) => test.state === "failed")
      .map((test) => `${test.file}: ${test.name}: ${test.error ?? "failed"}`),
    ...run.fileErrors
      .filter(({ file }) => !listed.tests.some((test) => test.file === file))
      .map(({ file, error }) => `${file} ${error}`),
    ...listed.fileErrors.map(({ file, error }) => `${file}, in the solution's own folder: ${error}`),
    ...run.unhandled.map((error) => `an error outside the tests: ${error}`),
  ];
  return { requirements, shared, other, unloaded, skipLines: run.skipLines };
}

export const count = (lines: readonly Line[], state: Line["state"]) =>
  lines.filter((l) => l.state === state).length;
export const failing = (lines: readonly Line[]) =>
  lines.filter((l) => l.state === "failed" || l.state === "not run");

/** Everything that ran passed, and the step's own tests are not all skipped. */
export function passes(verdict: Verdict) {
  const { requirements, shared, other } = verdict;
  if (other.length > 0 || failing(requirements).length > 0 || failing(shared).length > 0) return false;
  return requirements.length === 0 || count(requirements, "passed") > 0;
}
