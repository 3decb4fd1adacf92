/**
 * Runs in its own process, in a stage's or an exercise's folder: lists its tests (`collect`) or runs
 * them (`run`), with that folder's vitest.config.ts, and writes what it found as JSON to `out`; vite's
 * cache goes beside `out`, not into the folder. `vitest list --json` would leave out the tests that are
 * skipped, and a missing service skips many.
 *   node vitest-child.js collect|run DIR OUT [TEST_FILE…]
 */
import { writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Reporter, TestModule } from "vitest/node";
import { createVitest } from "vitest/node";
import type { SuiteResult, TestResult } from "./suite-result.js";

const [mode, root = ".", out = "", ...files] = process.argv.slice(2);
if ((mode !== "collect" && mode !== "run") || !out) {
  console.error("usage: vitest-child.js collect|run DIR OUT [TEST_FILE…]");
  process.exit(2);
}

const here = `${resolve(root)}/`;
// eslint-disable-next-line no-control-regex -- colours are what it removes
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").replaceAll(here, "");
/** Where a message is a stack or a source location, not words. */
const noise = /^(node:|at |\^|throw |\S+:\d+(:\d+)?$)/;
/** The line of an error a person reads: its first, unless that is a location (a child's stderr), then its first `Error`. */
const summary = (error: { message?: string } | undefined) => {
  const lines = plain(error?.message ?? "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? "failed";
  return noise.test(first)
    ? (lines.find((line) => /Error\b/.test(line) && !noise.test(line)) ?? first)
    : first;
};
const messageOf = (error: unknown) =>
  summary(
    typeof error === "object" && error !== null
      ? (error as { message?: string })
      : { message: String(error) },
  );

const skipLines: string[] = [];
const reporter: Reporter = {
  onUserConsoleLog(log) {
    for (const line of log.content.split("\n"))
      if (line.startsWith("skipped: ") && !skipLines.includes(line)) skipLines.push(line);
  },
  onTestModuleEnd(module) {
    const tests = [...module.children.allTests()];
    const failed = tests.filter((t) => t.result().state === "failed").length;
    const loads = module.errors().length === 0 ? 1 : 0;
    // a line `check` shows while the run goes on
    console.log(`progress ${relative(root, module.moduleId)} ${tests.length} ${failed} ${loads}`);
  },
};
const vitest = await createVitest(
  "test",
  { root, watch: false, reporters: [reporter] },
  { cacheDir: join(dirname(out), "vite") },
);

const { testModules, unhandledErrors } =
  mode === "collect" ? await vitest.collect(files) : await vitest.start(files);
writeFileSync(out, JSON.stringify(summarize(testModules, unhandledErrors)));
await vitest.close();
process.exit(0);

function summarize(modules: readonly TestModule[], unhandled: readonly unknown[]): SuiteResult {
  const tests: TestResult[] = [];
  const fileErrors: SuiteResult["fileErrors"] = [];
  for (const module of modules) {
    const file = relative(root, module.moduleId);
    const errors = module.errors();
    // vite names the importing file, which the report shows anyway
    if (errors.length > 0)
      fileErrors.push({ file, error: summary(errors[0]).replace(` imported from ${file}`, "") });
    for (const test of module.children.allTests()) {
      const result = test.result();
      tests.push({
        file,
        name: test.fullName,
        state: result.state,
        ...(result.state === "failed" ? { error: summary(result.errors?.[0]) } : {}),
      });
    }
  }
  return { tests, fileErrors, unhandled: unhandled.map(messageOf), skipLines };
}
