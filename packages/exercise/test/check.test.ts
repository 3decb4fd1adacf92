import { spawn } from "node:child_process";
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { stagesDir } from "../src/repository.js";
import { exercise, exercisesRoot } from "./cli.js";

const stage = (name: string, ...path: string[]) => join(stagesDir, name, ...path);

/** The first line of a solution's file that matches `pattern`, as the solution wrote it. */
const solutionLine = (file: string, pattern: RegExp) => {
  const line = readFileSync(file, "utf8")
    .split("\n")
    .find((candidate) => pattern.test(candidate));
  if (line === undefined) throw new Error(`${file} has no line matching ${pattern}`);
  return `${line}\n`;
};

/** Puts `lines` after the first occurrence of `after` in `file`. */
const insertAfter = (file: string, after: string, lines: string) => {
  const text = readFileSync(file, "utf8");
  if (!text.includes(after)) throw new Error(`${file} has no ${after}`);
  writeFileSync(file, text.replace(after, after + lines));
};

describe("npm run exercise -- check", () => {
  it(
    "reports a half-done step line by line: 04 with the index, without the cursor",
    { timeout: 180_000 },
    async () => {
      const root = exercisesRoot();
      expect((await exercise(root, "start", "04")).status).toBe(0);
      const dir = join(root, "04-index");
      // the index, as stage 04 creates it, and its plans; no listBefore, no cursor
      for (const file of ["query-plans.ts", "explain.ts"])
        copyFileSync(stage("04-index", "src", file), join(dir, "src", file));
      insertAfter(
        join(dir, "src", "sqlite-store.ts"),
        "seeded      INTEGER NOT NULL DEFAULT 0\n    )`);\n",
        solutionLine(stage("04-index", "src", "sqlite-store.ts"), /CREATE INDEX/),
      );
      const run = await exercise(root, "check", "04", "--only", "sqlite.test.ts,store.test.ts");
      expect(run.stderr).toBe("");
      expect(run.stdout).toMatch(/^ {4}✓ creates the newest-first index, idempotently/m);
      expect(run.stdout).toMatch(
        /^ {4}✗ pages by cursor: the same order as by offset, each todo exactly once\n {8}.*listBefore.* → docs\/04-index\.md/m,
      );
      expect(run.stdout).toMatch(/^✓ what stage 03 already did: (\d+)\/\1 pass/m);
      expect(run.stdout).toContain("only sqlite.test.ts, store.test.ts checked");
      expect(run.status).toBe(1);

      const list = await exercise(root, "list");
      expect(list.stdout).toMatch(
        /^ {2}04-index +from 03-mongo +\S+04-index: ✗ \d+\/\d+ of the step's tests pass \(only sqlite\.test\.ts, store\.test\.ts\)/m,
      );
    },
  );

  it(
    "reports a build error with the compiler's first lines, not a stack trace, and runs no test",
    { timeout: 60_000 },
    async () => {
      const root = exercisesRoot();
      expect((await exercise(root, "start", "02")).status).toBe(0);
      writeFileSync(join(root, "02-memory", "src", "todos.ts"), 'export const count: number = "three";\n');
      const run = await exercise(root, "check", "02");
      expect(run.status).toBe(1);
      expect(run.stdout).toMatch(
        /^✗ it builds \(tsc -p tsconfig\.build\.json\):\n {4}src\/todos\.ts\(1,14\): error TS2322: /m,
      );
      expect(run.stdout).toContain("✗ not yet: no test ran; fix what the compiler says, then check again.");
      expect(run.stdout).not.toMatch(/what stage|^\s+at /m);
      expect(run.stderr).toBe("");
      expect((await exercise(root, "list")).stdout).toMatch(/02-memory: ✗ did not build/);
    },
  );

  it(
    "says what to do with an exercise not started, or a test file the stage does not have",
    { timeout: 30_000 },
    async () => {
      const root = exercisesRoot();
      const before = await exercise(root, "check", "04");
      expect(before.status).toBe(1);
      expect(before.stderr).toMatch(/04-index is not started yet: npm run exercise -- start 04/);
      expect((await exercise(root, "start", "04")).status).toBe(0);
      const unknown = await exercise(root, "check", "04", "--only", "nothing.test.ts");
      expect(unknown.status).toBe(2);
      expect(unknown.stderr).toMatch(
        /^stage 04 has no test file nothing\.test\.ts; its files: contract\.test\.ts, /,
      );
    },
  );

  it("--watch checks again after a save in src/", { timeout: 180_000 }, async () => {
    const root = exercisesRoot();
    expect((await exercise(root, "start", "02")).status).toBe(0);
    const dir = join(root, "02-memory");
    const watch = spawn(
      process.execPath,
      [
        new URL("../dist/cli.js", import.meta.url).pathname,
        "check",
        "02",
        "--watch",
        "--only",
        "todos.test.ts",
        "--exercises",
        root,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    watch.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const reports = (mark: string) => stdout.split("\n").filter((line) => line.startsWith(mark)).length;
    const until = async (done: () => boolean) => {
      for (const deadline = Date.now() + 120_000; !done();) {
        if (Date.now() > deadline || watch.exitCode !== null) throw new Error(`no such report:\n${stdout}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    try {
      await until(() => reports("✗ not yet") === 1 && stdout.includes("watching"));
      cpSync(stage("02-memory", "src"), join(dir, "src"), { recursive: true });
      await until(() => reports("✓ done") === 1);
      expect(reports("✗ not yet")).toBe(1);
      expect(stdout).toMatch(/^ {4}✓ forgets everything when a new list is made/m);
    } finally {
      watch.kill("SIGTERM");
    }
  });
});
