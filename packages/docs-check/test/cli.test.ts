import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { checkRepository } from "../src/check.js";

const packageDir = new URL("..", import.meta.url).pathname;
const root = new URL("../../..", import.meta.url).pathname;

describe("npm run docs:check", () => {
  it("prints one line per failure and a summary, and exits 1 on any failure", { timeout: 30_000 }, () => {
    const started = Date.now();
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts"], {
      cwd: packageDir,
      encoding: "utf8",
    });
    const elapsed = Date.now() - started;
    const { failures } = checkRepository(root);
    const lines = run.stdout.trimEnd().split("\n");
    expect(run.stderr).toBe("");
    expect(lines.at(-1)).toMatch(
      failures.length === 0 ? /^docs:check: ok \(/ : /^docs:check: \d+ failures? \(/,
    );
    const listed = lines.filter((line) => /^[\w./-]+\.(?:md|txt):\d+: /.test(line));
    expect(listed).toHaveLength(failures.length);
    expect(run.status).toBe(failures.length === 0 ? 0 : 1);
    // it runs in a before-stop hook: seconds, not a build
    expect(elapsed).toBeLessThan(20_000);
  });
});
