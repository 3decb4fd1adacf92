import { describe, expect, it } from "vitest";
import { report } from "../src/report.js";
import { judge } from "../src/requirements.js";
import { step, suiteOf, test } from "./fixtures.js";

const hint = (file: string) => `docs/04-index.md#${file.includes("paging") ? "keyset-paging" : "test-it"}`;

describe("the report", () => {
  const listed = suiteOf([
    test("contract.test.ts", "04-index contract (level 4) > creating > POST JSON works the same"),
    test("contract.test.ts", "04-index contract (level 4) > listing > says `next: null` on the last page"),
    test("mongo.test.ts", "04-index on FerretDB > the store has created the index newest_first"),
    test(
      "mongo.test.ts",
      `04-index on FerretDB > a page deep by cursor reads a few keys ${"(on a real MongoDB) ".repeat(9)}`,
    ),
    test("paging.test.ts", "keyset paging over HTTP > gives `next` only when another page exists"),
  ]);
  const before = suiteOf([
    test("contract.test.ts", "03-mongo contract (level 3) > creating > POST JSON works the same"),
  ]);
  const run = suiteOf(
    [
      test("contract.test.ts", listed.tests[0]!.name, "passed"),
      {
        ...test("contract.test.ts", listed.tests[1]!.name, "failed"),
        error: "expected undefined to be null",
      },
      test("mongo.test.ts", listed.tests[2]!.name, "skipped"),
      { ...test("mongo.test.ts", listed.tests[3]!.name, "skipped"), note: "needs a real MongoDB" },
    ],
    {
      fileErrors: [
        { file: "test/paging.test.ts", error: "cannot load: Cannot find module '../src/cursor.js'" },
      ],
      skipLines: ["skipped: MongoDB not reachable (set MONGO_URL)"],
    },
  );
  const text = report({ step, build: { ok: true }, verdict: judge(step, listed, before, run), hint });

  it("has one line per requirement: ✓, ✗ with the error and the chapter's section, - for skipped", () => {
    expect(text).toContain("✓ what stage 03 already did: 1/1 pass");
    expect(text).toContain("what stage 04 adds: 0/4 pass, 1 fail, 1 did not run, 2 skipped");
    expect(text).toMatch(
      /^ {4}✗ says `next: null` on the last page\n {8}expected undefined to be null → docs\/04-index\.md#test-it$/m,
    );
    expect(text).toMatch(/^ {4}- the store has created the index newest_first \(skipped\)$/m);
    // a long name is cut, its mark is not
    expect(text).toMatch(
      /^ {4}- a page deep by cursor reads a few keys \(on a real .*… \(skipped: needs a real MongoDB\)$/m,
    );
    expect(text).toMatch(
      /^test\/paging\.test\.ts: ✗ cannot load: Cannot find module '\.\.\/src\/cursor\.js'$/m,
    );
    expect(text).toMatch(
      /^ {4}✗ gives `next` only when another page exists \(not run → docs\/04-index\.md#keyset-paging\)$/m,
    );
    expect(text).toContain("\nskipped: MongoDB not reachable (set MONGO_URL)\n");
    expect(text).toMatch(/✗ not yet: 2 of the step's 4 tests fail or did not run/);
  });

  it("never marks a skipped test ✓", () => {
    expect(text).not.toMatch(/✓ the store has created the index/);
  });

  it("says done when every test that ran passes, and how many of the step's were skipped", () => {
    const passed = suiteOf(
      listed.tests.map((t) => ({
        ...t,
        state: t.file.includes("mongo") ? ("skipped" as const) : ("passed" as const),
      })),
    );
    const done = report({ step, build: { ok: true }, verdict: judge(step, listed, before, passed), hint });
    expect(done).toMatch(/✓ done: every test of stage 04 that ran here passes \(2 of the step's skipped:/);
    expect(done).not.toContain("✗");
  });

  it("shows the compiler's first errors when the exercise does not build, and runs nothing", () => {
    const errors = ["src/app.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'."];
    const failed = report({ step, build: { ok: false, errors }, hint });
    expect(failed).toBe(
      [
        "✗ it builds (tsc -p tsconfig.build.json):",
        `    ${errors[0]}`,
        "",
        "✗ not yet: no test ran; fix what the compiler says, then check again.",
      ].join("\n"),
    );
  });
});
