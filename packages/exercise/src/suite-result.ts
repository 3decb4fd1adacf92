/** What one run of a stage's tests found, as the vitest process writes it for `check` to read. */
export interface TestResult {
  /** The test's file, relative to the folder the tests ran in: `test/paging.test.ts`. */
  file: string;
  /** Its describe blocks and its own name, joined with " > ", as vitest names it. */
  name: string;
  state: "passed" | "failed" | "skipped" | "pending";
  /** The first line of its first error, when it failed. */
  error?: string;
  /** Why it was skipped, when the test said so. */
  note?: string;
}

export interface SuiteResult {
  tests: TestResult[];
  /**
   * Files that could not even load (`cannot load: <why>`: a module the tests import is missing, a
   * syntax error), or that never finished (`did not finish: <why>`).
   */
  fileErrors: { file: string; error: string }[];
  /** Errors outside any test: an unhandled rejection, a crashed worker. */
  unhandled: string[];
  /** The `skipped: <reason>` lines the tests printed, once each, in order. */
  skipLines: string[];
}
