import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync, realpathSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "@zero-to-one/test-kit";
import { describe, expect, it } from "vitest";
import { modulesDir, repoRoot, stagesDir } from "../src/repository.js";
import { exercise, exercisesRoot } from "./cli.js";

/** Every file of a folder and its bytes. */
const contents = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(dir.length + 1), readFileSync(path, "utf8")];
      }),
  );

// each test runs the built CLI once or more: seconds on a machine busy with other suites
describe("npm run exercise -- start", { timeout: 60_000 }, () => {
  it("copies the stage before, with the step's tests and a package name of its own, and no build output", async () => {
    const root = exercisesRoot();
    const run = await exercise(root, "start", "04");
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const dir = join(root, "04-index");
    expect(run.stdout).toContain(`${dir}: stage 03 (stages/03-mongo), to turn into stage 04 (04-index).`);
    expect(run.stdout).toContain("npm run exercise -- check 04 --exercises");
    expect(contents(join(dir, "src"))).toEqual(contents(join(stagesDir, "03-mongo", "src")));
    expect(contents(join(dir, "test"))).toEqual(contents(join(stagesDir, "04-index", "test")));
    const copied = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const original = JSON.parse(readFileSync(join(stagesDir, "03-mongo", "package.json"), "utf8"));
    expect(copied).toEqual({ ...original, name: "@zero-to-one/exercise-04-index" });
    expect(readdirSync(dir).sort()).toEqual(
      [
        "README.md",
        "package.json",
        "src",
        "test",
        "tsconfig.build.json",
        "tsconfig.json",
        "vitest.config.ts",
      ].sort(),
    );
    // outside the repository, its packages resolve through a link, and its tsconfig still reaches the base
    expect(realpathSync(join(root, "node_modules"))).toBe(realpathSync(modulesDir));
    const { extends: base } = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8"));
    expect(resolve(dir, base)).toBe(join(repoRoot, "tsconfig.base.json"));
  });

  it("refuses to overwrite an exercise, says how to go on, and starts again only with --force", async () => {
    const root = exercisesRoot();
    expect((await exercise(root, "start", "02")).status).toBe(0);
    const mine = join(root, "02-memory", "src", "mine.ts");
    writeFileSync(mine, "export const mine = 1;\n");
    const again = await exercise(root, "start", "02");
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("is already started; it is left as it is.");
    expect(again.stderr).toMatch(/npm run exercise -- check 02 .*checks it/);
    expect(again.stderr).toMatch(
      /npm run exercise -- start 02 .*--force .*starts again from stages\/01-hello/,
    );
    expect(existsSync(mine)).toBe(true);
    expect((await exercise(root, "start", "02", "--force")).status).toBe(0);
    expect(existsSync(mine)).toBe(false);
    expect(contents(join(root, "02-memory", "src"))).toEqual(contents(join(stagesDir, "01-hello", "src")));
  });

  it("makes a copy that runs: npm run dev inside it answers", async () => {
    const root = exercisesRoot();
    expect((await exercise(root, "start", "03")).status).toBe(0);
    const port = await freePort();
    const dev = spawn("npm", ["run", "dev"], {
      cwd: join(root, "03-mongo"),
      env: { ...process.env, PORT: String(port), DB_PATH: join(root, "dev.db") },
      stdio: "ignore",
      detached: true, // npm, tsx watch and the server: stopped together, as a group
    });
    try {
      let answer: Response | undefined;
      for (const deadline = Date.now() + 30_000; !answer && Date.now() < deadline;) {
        answer = await fetch(`http://127.0.0.1:${port}/index`).catch(() => undefined);
        if (!answer) await new Promise((r) => setTimeout(r, 200));
      }
      expect(answer?.status).toBe(200);
      expect(await answer?.json()).toEqual({ msg: "hello world" });
    } finally {
      process.kill(-dev.pid!, "SIGTERM");
    }
  });

  it("names the steps there are when asked for one that is not", async () => {
    const root = exercisesRoot();
    const run = await exercise(root, "start", "01");
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("exercise: no step 01");
    const numbers = readdirSync(stagesDir)
      .filter((n) => /^\d{2}-/.test(n))
      .map((n) => n.slice(0, 2))
      .slice(1);
    expect(run.stderr).toContain(`NN is a step: ${numbers.join(", ")}`);
  });
});
