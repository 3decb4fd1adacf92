import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { steps } from "../src/steps.js";
import { exercise, exercisesRoot } from "./cli.js";

/**
 * Steps checked with only one of their test files. Every step is checked twice here (its untouched
 * copy, then the solution), on each of CI's two runs, and a whole stage's suite takes from over a
 * minute (03) to about 6 (08, 09): in full, the steps would add over half an hour. Step 02, and any step
 * not named here, is checked with every test file; the half-done 04 of check.test.ts runs two files.
 * Each file named is one the step adds, that runs without Redis or nginx, so a machine with Node
 * alone checks it too.
 */
const NARROWED: Record<string, string[]> = {
  "03": ["sqlite.test.ts"],
  "04": ["paging.test.ts"],
  "05": ["client-address.test.ts"],
  "06": ["deadline.test.ts"],
  "07": ["csv.test.ts"],
  "08": ["csrf.test.ts"],
  "09": ["read-routing.test.ts"],
};

/** The lines of the report under "what stage NN adds". */
const requirementLines = (stdout: string) =>
  (stdout.split(/^what stage \d+ adds: .*$/m)[1] ?? "")
    .split("\n")
    .filter((line) => /^ {4}[✓✗-] /.test(line));

describe("every step, checked by its stage's own tests", () => {
  for (const step of steps()) {
    const only = NARROWED[step.stage.number];
    const selection = only ? ["--only", only.join(",")] : [];
    it(
      `${step.stage.name}: the untouched copy of ${step.before.name} fails, the solution's src/ passes` +
        (only ? ` (${only.join(", ")} only)` : ""),
      async () => {
        const root = exercisesRoot();
        expect((await exercise(root, "start", step.stage.number)).status).toBe(0);

        const untouched = await exercise(root, "check", step.stage.number, ...selection);
        expect(untouched.stderr).toBe("");
        expect(untouched.status).toBe(1);
        expect(untouched.stdout).toContain("✓ it builds");
        expect(requirementLines(untouched.stdout).filter((line) => line.startsWith("    ✗"))).not.toEqual([]);
        expect(untouched.stdout).toMatch(/^✗ not yet: \d+ of the step's \d+ tests fail or did not run/m);
        // every ✗ sends the learner to a section of the chapter, not to the whole page
        const hints = untouched.stdout.match(/→ docs\/\S+/g) ?? [];
        expect(hints).not.toEqual([]);
        expect(hints.filter((hint) => !hint.includes("#"))).toEqual([]);

        const src = join(root, step.stage.name, "src");
        rmSync(src, { recursive: true });
        cpSync(join(step.stage.dir, "src"), src, { recursive: true });
        const solved = await exercise(root, "check", step.stage.number, ...selection);
        expect(solved.stderr).toBe("");
        const lines = requirementLines(solved.stdout);
        expect(lines.filter((line) => line.startsWith("    ✓"))).not.toEqual([]);
        // the whole report on failure: the line under a ✗ says why it failed
        expect(
          lines.filter((line) => line.startsWith("    ✗")),
          solved.stdout,
        ).toEqual([]);
        expect(solved.stdout).toMatch(/^✓ done: every test of stage \d+ that ran here passes/m);
        expect(solved.status).toBe(0);
      },
      // two checks of a whole stage on a busy machine, each with the listing of two stages' tests
      600_000,
    );
  }
});
