import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { stagesDir } from "../src/repository.js";
import { findStep, steps } from "../src/steps.js";

function fakeStages(...names: string[]) {
  const root = mkdtempSync(join(tmpdir(), "zto-exercise-stages-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  for (const name of names) {
    mkdirSync(join(root, name));
    if (!name.startsWith("no-package")) writeFileSync(join(root, name, "package.json"), "{}");
  }
  return root;
}

describe("the steps", () => {
  it("are every stage folder but the first, each with the stage before it", () => {
    const root = fakeStages("03-c", "01-a", "02-b", "notes");
    mkdirSync(join(root, "04-d")); // no package.json: not a stage
    expect(steps(root).map(({ stage, before }) => `${before.name} → ${stage.name}`)).toEqual([
      "01-a → 02-b",
      "02-b → 03-c",
    ]);
  });

  it("are found in this repository's stages/, whatever they are", () => {
    const stages = readdirSync(stagesDir)
      .filter((name) => /^\d{2}-/.test(name))
      .sort();
    expect(steps().map(({ stage }) => stage.name)).toEqual(stages.slice(1));
    expect(steps().map(({ before }) => before.name)).toEqual(stages.slice(0, -1));
  });

  it("are named by number, with or without the zero, or by folder", () => {
    const root = fakeStages("01-a", "02-b");
    for (const wanted of ["02", "2", "02-b"]) expect(findStep(wanted, root)?.stage.name).toBe("02-b");
    expect(findStep("01", root)).toBeUndefined(); // the first stage has none before it
    expect(findStep("09", root)).toBeUndefined();
    expect(findStep("b", root)).toBeUndefined();
  });
});
