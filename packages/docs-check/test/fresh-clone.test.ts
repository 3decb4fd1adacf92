// "cd stages/01-hello && npm run build" on a fresh clone: after `npm ci` only what the root's `prepare`
// script builds is built, and every stage must build from there on its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FreshClone, freshClone } from "../src/fresh-clone.js";
import { listStages } from "../src/repository.js";

const root = new URL("../../..", import.meta.url).pathname;
let clone: FreshClone;

beforeAll(() => {
  clone = freshClone(root);
}, 300_000);
afterAll(() => clone?.remove());

describe("npm run build inside a stage, on a fresh clone", () => {
  it("has the root's prepare script build every package a stage depends on", () => {
    const wanted = listStages(root).flatMap((stage) => {
      const manifest = JSON.parse(readFileSync(join(root, stage.dir, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
      };
      return Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith("@zero-to-one/"));
    });
    expect(wanted.length).toBeGreaterThan(0);
    expect(clone.prepared.map(({ name }) => name)).toEqual(expect.arrayContaining(wanted));
  });

  for (const stage of listStages(root)) {
    it(`builds ${stage.dir} with only what prepare built`, { timeout: 300_000 }, () => {
      const built = clone.build(stage.dir);
      expect(built.ok, built.output).toBe(true);
    });
  }
});
