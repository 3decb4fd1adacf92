import { describe, expect, it } from "vitest";
import { identity, judge, passes } from "../src/requirements.js";
import { step, suiteOf, test } from "./fixtures.js";

const CONTRACT = "in-process (SQLite): the todo API contract";

describe("the step's requirements", () => {
  it("are the solution's tests the stage before lacks; a test renamed only by its stage and level is shared", () => {
    const listed = suiteOf([
      test("contract.test.ts", `04-index ${CONTRACT} (level 4) > creating > POST JSON works the same`),
      test("contract.test.ts", `04-index ${CONTRACT} (level 4) > listing > by cursor > says \`next: null\``),
      test("paging.test.ts", "keyset paging over HTTP > gives `next` only when another page exists"),
    ]);
    const before = suiteOf([
      test("contract.test.ts", `03-mongo ${CONTRACT} (level 3) > creating > POST JSON works the same`),
      test("sqlite.test.ts", "03-mongo: what the SQLite store does not have yet > has no index"),
    ]);
    const run = suiteOf(listed.tests.map((t) => ({ ...t, state: "passed" as const })));
    const verdict = judge(step, listed, before, run);
    expect(verdict.shared.map((l) => l.name)).toEqual([listed.tests[0]!.name]);
    expect(verdict.requirements.map((l) => l.name)).toEqual([listed.tests[1]!.name, listed.tests[2]!.name]);
    expect(passes(verdict)).toBe(true);
  });

  it("keeps the same test in two files apart", () => {
    const a = test("store.test.ts", "pages by cursor");
    const b = test("mongo.test.ts", "pages by cursor");
    expect(identity(a, step)).not.toBe(identity(b, step));
  });

  it("are not run, with the reason, when their file cannot load in the exercise", () => {
    const listed = suiteOf([test("paging.test.ts", "keyset paging > refuses `start` and `before` together")]);
    const run = suiteOf([], {
      fileErrors: [
        { file: "test/paging.test.ts", error: "cannot load: Cannot find module '../src/cursor.js'" },
      ],
    });
    const verdict = judge(step, listed, suiteOf([]), run);
    expect(verdict.requirements).toEqual([
      {
        file: "test/paging.test.ts",
        name: listed.tests[0]!.name,
        state: "not run",
        error: "test/paging.test.ts cannot load: Cannot find module '../src/cursor.js'",
      },
    ]);
    expect(verdict.unloaded.get("test/paging.test.ts")).toMatch(/cursor\.js/);
    expect(passes(verdict)).toBe(false);
  });

  it("fail the check when one fails, when a shared one breaks, or when something outside them fails", () => {
    const listed = suiteOf([test("a.test.ts", "new"), test("a.test.ts", "old")]);
    const before = suiteOf([test("a.test.ts", "old")]);
    const ran = (newState: "passed" | "failed", oldState: "passed" | "failed", more = {}) =>
      judge(
        step,
        listed,
        before,
        suiteOf([test("a.test.ts", "new", newState), test("a.test.ts", "old", oldState)], more),
      );
    expect(passes(ran("passed", "passed"))).toBe(true);
    expect(passes(ran("failed", "passed"))).toBe(false);
    expect(passes(ran("passed", "failed"))).toBe(false);
    expect(passes(ran("passed", "passed", { unhandled: ["a worker crashed"] }))).toBe(false);
    const extra = judge(
      step,
      listed,
      before,
      suiteOf([
        test("a.test.ts", "new", "passed"),
        test("a.test.ts", "old", "passed"),
        test("b.test.ts", "a test the listing did not have", "failed"),
      ]),
    );
    expect(extra.other).toEqual(["test/b.test.ts: a test the listing did not have: failed"]);
    expect(passes(extra)).toBe(false);
  });

  it("never count a skipped test as met, and a step whose tests were all skipped is not passed", () => {
    const listed = suiteOf([test("redis.test.ts", "caches the first page"), test("unit.test.ts", "adds up")]);
    const skippedOnly = judge(
      step,
      listed,
      suiteOf([]),
      suiteOf([
        test("redis.test.ts", "caches the first page", "skipped"),
        test("unit.test.ts", "adds up", "skipped"),
      ]),
    );
    expect(skippedOnly.requirements.map((l) => l.state)).toEqual(["skipped", "skipped"]);
    expect(passes(skippedOnly)).toBe(false);
    const someRan = judge(
      step,
      listed,
      suiteOf([]),
      suiteOf([
        test("redis.test.ts", "caches the first page", "skipped"),
        test("unit.test.ts", "adds up", "passed"),
      ]),
    );
    expect(passes(someRan)).toBe(true);
  });
});
