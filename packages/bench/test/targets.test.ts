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
  it("gives each stage the scenarios it can run: list-c1000 through 07, list-tls from 08 on", () => {
    for (const name of ["05-cluster", "07-queue", "08-secure"]) builtStage(name);
    const { stages, skipped } = discoverStages(undefined, dir);
    expect(skipped).toEqual([]);
    const through = (id: string) =>
      stages.find((s) => s.id === id)!.scenarios.filter((s) => s.startsWith("list-c") || s === "list-tls");
    expect(through("05-cluster")).toEqual(["list-c1000"]);
    expect(through("07-queue")).toEqual(["list-c1000"]);
    expect(through("08-secure")).toEqual(["list-tls"]);
    expect(stages.find((s) => s.id === "08-secure")!.scenarios).toContain("list-during-exports");
  });

  it("skips a built stage without dist/seed.js with a reason, and names a stage that is not built", () => {
    mkdirSync(join(dir, "09-later", "dist"), { recursive: true });
    writeFileSync(join(dir, "09-later", "package.json"), "{}");
    writeFileSync(join(dir, "09-later", "dist", "server.js"), "");
    const { skipped } = discoverStages([8, 9, 10], dir);
    expect(skipped).toEqual([
      { id: "09-later", reason: "it has no dist/seed.js to load the same data" },
      { id: "10", reason: "there is no built stage 10 (run npm run build)" },
    ]);
  });
});
