import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stepEntries } from "../src/diff.js";
import { findStep } from "../src/steps.js";
import { exercise, exercisesRoot } from "./cli.js";

describe("npm run exercise -- diff", { timeout: 60_000 }, () => {
  it("covers src/ and the other files the stage diff touches, found by comparing the stages", () => {
    expect(stepEntries(findStep("05")!)).toEqual(["src", "nginx.conf", "package.json"]);
    expect(stepEntries(findStep("08")!)).toEqual(["src", "nginx.conf", "package.json", "public", "scripts"]);
  });

  it("shows the learner's changes to the stage before, then what still differs from the solution", async () => {
    const root = exercisesRoot();
    expect((await exercise(root, "start", "05")).status).toBe(0);
    const dir = join(root, "05-cluster");
    const solution = findStep("05")!.stage.dir;
    copyFileSync(join(solution, "nginx.conf"), join(dir, "nginx.conf"));
    copyFileSync(join(solution, "src", "client-address.ts"), join(dir, "src", "client-address.ts"));
    const run = await exercise(root, "diff", "05");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const [mine = "", left = ""] = run.stdout.split(/^=== what differs from stage 05 .*$/m);
    expect(mine).toMatch(/^=== your changes to stage 04 \(diff -ruN stages\/04-index /m);
    expect(mine).toContain(`+++ ${dir}/nginx.conf`);
    expect(mine).toContain(`+++ ${dir}/src/client-address.ts`);
    expect(mine).not.toContain("primary.ts");
    expect(left).not.toContain(`${dir}/nginx.conf`);
    expect(left).not.toContain(`${dir}/src/client-address.ts`);
    expect(left).toContain(`+++ ${solution}/src/primary.ts`);
    // the copy's own package name is not a change
    expect(run.stdout).not.toContain("@zero-to-one/exercise-05-cluster");
  });
});
