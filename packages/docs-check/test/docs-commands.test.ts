// Every shell block of the docs, run as a learner would type it: one test per block, named
// chapter:line. A block that needs a missing service prints one `skipped:` line and counts as skipped.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { classify, splitAnd, splitComment } from "../src/command-line.js";
import { formatFailure } from "../src/failure.js";
import { documents } from "../src/repository.js";
import { runBlock } from "../src/run-block.js";
import { blockName, blocksToRun, type ShellBlock, shellBlocks } from "../src/shell-blocks.js";

const root = new URL("../../..", import.meta.url).pathname;
const { blocks: all, failures } = shellBlocks(root, documents(root));
// a translation's block that is its English page's runs once, under the English name
const blocks = blocksToRun(all);

/** A block that runs `npm run build` inside a stage rewrites that stage's dist/: it runs alone. */
function buildsInPlace(block: ShellBlock): boolean {
  let inStage = false;
  for (const { text } of block.lines) {
    for (const part of splitAnd(splitComment(text).command)) {
      const kind = classify(part);
      if (kind.kind === "cd") inStage = !/^\.\.?\/?$/.test(kind.dir);
      if (inStage && /^npm run build\b/.test(part)) return true;
    }
  }
  return false;
}

async function check(block: ShellBlock, skip: (note?: string) => void) {
  const result = await runBlock(root, block);
  if (result.skipped) {
    console.log(result.skipped);
    skip(result.skipped);
    return;
  }
  expect(result.failures.map(formatFailure)).toEqual([]);
}

beforeAll(() => {
  // every block then finds the stages built, and its own builds are turbo's cache hits
  const build = spawnSync("npm", ["run", "build", "--", "--output-logs=errors-only"], {
    cwd: root,
    encoding: "utf8",
  });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
}, 600_000);

describe("the docs' shell blocks", () => {
  it("run after every workspace is built: turbo's test task of docs-check waits for each build", () => {
    const turbo = JSON.parse(readFileSync(new URL("../turbo.json", import.meta.url), "utf8")) as {
      tasks: { test: { dependsOn: string[] } };
    };
    const built = ["packages", "stages"].flatMap((dir) =>
      readdirSync(join(root, dir))
        .map((name) => join(root, dir, name, "package.json"))
        .filter((file) => existsSync(file))
        .map(
          (file) => JSON.parse(readFileSync(file, "utf8")) as { name: string; scripts?: { build?: string } },
        )
        .filter((manifest) => manifest.scripts?.build && manifest.name !== "@zero-to-one/docs-check")
        .map((manifest) => `${manifest.name}#build`),
    );
    expect(turbo.tasks.test.dependsOn).toEqual(expect.arrayContaining(built));
  });

  it("are annotated so they can run", () => {
    expect(blocks.length).toBeGreaterThan(0);
    expect(failures.map(formatFailure)).toEqual([]);
  });

  for (const block of blocks.filter(buildsInPlace)) {
    it(blockName(block), { timeout: 300_000 }, ({ skip }) => check(block, skip));
  }
});

describe.concurrent("the docs' other shell blocks", () => {
  for (const block of blocks.filter((block) => !buildsInPlace(block))) {
    it(blockName(block), { timeout: 300_000 }, ({ skip }) => check(block, skip));
  }
});
