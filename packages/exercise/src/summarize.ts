import { relative } from "node:path";
import type { TestModule } from "vitest/node";
import { errorLine } from "./error-line.js";
import type { SuiteResult, TestResult } from "./suite-result.js";

export interface Extras {
  skipLines: string[];
  /** Test files still running when the run was stopped, with why. */
  stuck?: { files: readonly string[]; why: string };
}

/** What vitest found in `root`'s test modules, as `check` reads it. */
export function summarize(
  root: string,
  modules: readonly TestModule[],
  unhandled: readonly unknown[],
  extras: Extras,
): SuiteResult {
  const tests: TestResult[] = [];
  const fileErrors: SuiteResult["fileErrors"] = [];
  for (const module of modules) {
    const file = relative(root, module.moduleId);
    const errors = module.errors();
    // vite names the importing file, which the report shows anyway
    if (errors.length > 0)
      fileErrors.push({
        file,
        error: `cannot load: ${errorLine(errors[0], root).replace(` imported from ${file}`, "")}`,
      });
    else if (extras.stuck?.files.includes(file)) fileErrors.push({ file, error: extras.stuck.why });
    for (const test of module.children.allTests()) {
      const result = test.result();
      const base = { file, name: test.fullName };
      if (result.state === "failed")
        tests.push({ ...base, state: "failed", error: errorLine(result.errors?.[0], root) });
      else if (result.state === "skipped")
        tests.push({ ...base, state: "skipped", ...(result.note ? { note: result.note } : {}) });
      else tests.push({ ...base, state: result.state });
    }
  }
  return {
    tests,
    fileErrors,
    unhandled: unhandled.map((error) => errorLine(error, root)),
    skipLines: extras.skipLines,
  };
}
