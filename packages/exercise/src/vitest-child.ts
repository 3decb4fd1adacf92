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
import { stallWatch } from "./stall.js";
import { type Extras, summarize } from "./summarize.js";

const [mode, dir = ".", out = "", ...files] = process.argv.slice(2);
if ((mode !== "collect" && mode !== "run") || !out) {
  console.error("usage: vitest-child.js collect|run DIR OUT [TEST_FILE…]");
  process.exit(2);
}
const root = resolve(dir);

/** A stuck run is let go this long after the longest test or hook could have timed out. */
const GRACE_MS = 60_000;

const skipLines: string[] = [];
/** Told of every event; `run` watches it for a stall, `collect` needs none. */
let watch = { moved: () => {}, stop: () => {} };

const reporter: Reporter = {
  onUserConsoleLog(log) {
    watch.moved();
    for (const line of log.content.split("\n"))
      if (line.startsWith("skipped: ") && !skipLines.includes(line)) skipLines.push(line);
  },
  onTestModuleStart: () => watch.moved(),
  onTestCaseReady: () => watch.moved(),
  onTestCaseResult: () => watch.moved(),
  onHookStart: () => watch.moved(),
  onHookEnd: () => watch.moved(),
  onTestModuleEnd(module) {
    watch.moved();
    const file = relative(root, module.moduleId);
    const tests = [...module.children.allTests()];
    const failed = tests.filter((t) => t.result().state === "failed").length;
    const loads = module.errors().length === 0 ? 1 : 0;
    // a line `check` shows while the run goes on
    console.log(`progress ${file} ${tests.length} ${failed} ${loads}`);
  },
};
const vitest = await createVitest(
  "test",
  { root, watch: false, reporters: [reporter] },
  { cacheDir: join(dirname(out), "vite") },
);

const write = (modules: readonly TestModule[], unhandled: readonly unknown[], extras: Partial<Extras> = {}) =>
  writeFileSync(out, JSON.stringify(summarize(root, modules, unhandled, { skipLines, ...extras })));

if (mode === "run") {
  const limitMs = Math.max(vitest.config.testTimeout, vitest.config.hookTimeout) + GRACE_MS;
  watch = stallWatch(limitMs, () => {
    // which test hangs is not known here: a blocked worker cannot report, not even the tests it finished
    const modules = vitest.state.getTestModules();
    const stuck = modules
      .filter((module) => ["queued", "pending"].includes(module.state()))
      .map((module) => relative(root, module.moduleId));
    const why = `did not finish: nothing moved for ${Math.round(limitMs / 1000)} s (an endless loop, or a wait for a process that never ends?)`;
    write(modules, stuck.length ? [] : [new Error(`the run ${why}`)], { stuck: { files: stuck, why } });
    // this process leads its own group (check starts it so): the workers and what they started go with it
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      process.exit(1);
    }
  });
}

const { testModules, unhandledErrors } =
  mode === "collect" ? await vitest.collect(files) : await vitest.start(files);
watch.stop();
write(testModules, unhandledErrors);
await vitest.close();
process.exit(0);
