import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverStages } from "../src/targets.js";

const dir = mkdtempSync(join(tmpdir(), "zto-bench-targets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stages folder whose stages look built: package.json, dist/server.js and dist/seed.js. */
function builtStage(name: string) {
  mkdirSync(join(dir, name, "dist"), { recursive: true });
  writeFileSync(join(dir, name, "package.json"), JSON.stringify({ name, type: "module" }));
  writeFileSync(join(dir, name, "dist", "server.js"), "");
  writeFileSync(join(dir, name, "dist", "seed.js"), "");
}

describe("which stages the tour measures", () => {
  it("skips a stage whose API needs a signed-in client, with one reason, and measures the rest", () => {
    for (const name of ["07-queue", "08-secure"]) builtStage(name);
    const { stages, skipped } = discoverStages(undefined, dir);
    expect(stages.map((s) => s.id)).toEqual(["07-queue"]);
    expect(skipped).toEqual([{ id: "08-secure", reason: "needs a signed-in client: not measured yet" }]);
    // asked for by number, it is still skipped for that reason, not reported as missing
    expect(discoverStages([8], dir).skipped).toEqual(skipped);
  });
});
