import type { Step } from "../src/steps.js";
import type { SuiteResult, TestResult } from "../src/suite-result.js";

export const step: Step = {
  stage: { name: "04-index", number: "04", dir: "/stages/04-index" },
  before: { name: "03-mongo", number: "03", dir: "/stages/03-mongo" },
};

export const suiteOf = (tests: TestResult[], more: Partial<SuiteResult> = {}): SuiteResult => ({
  tests,
  fileErrors: [],
  unhandled: [],
  skipLines: [],
  ...more,
});

export const test = (file: string, name: string, state: TestResult["state"] = "pending"): TestResult => ({
  file: `test/${file}`,
  name,
  state,
});
