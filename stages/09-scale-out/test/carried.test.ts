import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const stageDir = new URL("..", import.meta.url).pathname;
const before = join(stageDir, "..", "08-secure");
/** A check of the repository's two stages: an exercise's copy is the learner's to shape as they like. */
const notInStages = basename(dirname(stageDir)) !== "stages";
if (notInStages)
  console.log("skipped: what stage 09 carries from stage 08: checked in the repository's stages only");

/**
 * What this step changes. Every other file is stage 08's, its name aside, so stage 08's tests of it
 * (accounts, CSRF, HTTPS, injection, paging…) hold here and are not run twice; the tests here are
 * the ones of these files.
 */
const CHANGED = [
  "src/app.ts",
  "src/first-page-cache.ts",
  "src/mongo-store.ts",
  "src/not-found-cache.ts",
  "src/queue.ts",
  "src/read-routing.ts",
  "src/redis-client.ts",
  "src/redis-sentinel.ts",
  "src/server.ts",
  "src/sessions.ts",
  "src/token-bucket.ts",
  "src/worker.ts",
];

const filesIn = (root: string) =>
  ["src", "public", "scripts"]
    .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .concat("nginx.conf")
    .sort();

/** A file of stage 08 as this stage would carry it: the comments naming the stage's folder name this one. */
const carried = (file: string) =>
  readFileSync(join(before, file), "utf8").replaceAll("08-secure", "09-scale-out");

describe.skipIf(notInStages)("what stage 09 carries from stage 08 unchanged", () => {
  const ours = notInStages ? [] : filesIn(stageDir);

  it.each(ours.filter((file) => !CHANGED.includes(file)))("%s is stage 08's", (file) => {
    expect(readFileSync(join(stageDir, file), "utf8")).toBe(carried(file));
  });

  it("has every file of stage 08", () => {
    expect(filesIn(before).filter((file) => !ours.includes(file))).toEqual([]);
  });

  it.each(CHANGED)("%s is this step's change, not stage 08's file", (file) => {
    expect(ours).toContain(file);
    const was = filesIn(before).includes(file) ? carried(file) : undefined;
    expect(readFileSync(join(stageDir, file), "utf8")).not.toBe(was);
  });
});
