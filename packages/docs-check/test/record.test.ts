import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkRepository } from "../src/check.js";
import { fillDocuments, record, RecordError, type RecordEvent } from "../src/record.js";
import { parseRecording } from "../src/recordings.js";
import type { Recipe } from "../src/recipes.js";
import { repository } from "./fixture.js";

const hasScript = spawnSync("bash", ["-c", "command -v script"]).status === 0;

/** Prints a progress bar redrawn in place, a colour, a line on stderr, and where its data folder is. */
const PRINTS = String.raw`printf 'working 1/2\rworking 2/2 done in 0.1 s\n'; printf '\033[32mgreen\033[0m\n'; echo "saved in $DATA/out.txt" >&2`;

const recipe = (steps: Recipe["steps"]): Recipe => ({
  name: "demo",
  about: "a demonstration",
  builds: [],
  for: ["docs/demo.md"],
  steps,
  minutes: 1,
});

describe.each([false, ...(hasScript ? [true] : [])])("npm run docs:record (terminal: %s)", (terminal) => {
  it(
    "writes the steps' output as a person would read it, with how, when and where",
    { timeout: 30_000 },
    async () => {
      const root = repository({
        "tools/.keep": "",
        "docs/demo.md": "# Demo\n\n<!-- record:demo -->\n<!-- /record:demo -->\n",
        "docs/zh/demo.md": "# 演示 {#demo}\n\n<!-- record:demo -->\n<!-- /record:demo -->\n",
      });
      const events: RecordEvent[] = [];
      const made = await record(
        root,
        recipe([{ in: "tools", run: PRINTS }, { run: "echo second; echo 120 ms" }]),
        {
          terminal,
          now: () => new Date("2026-11-29T10:12:33.456Z"),
          progress: (event) => events.push(event),
        },
      );
      expect(made.output).toBe(
        [
          `tools$ ${PRINTS}`,
          "working 2/2 done in 0.1 s",
          "green",
          "saved in $DATA/out.txt",
          "",
          "$ echo second; echo 120 ms",
          "second",
          "120 ms",
        ].join("\n"),
      );
      expect(
        events.filter((e) => e.kind === "step").map((e) => e.kind === "step" && `${e.index + 1}/${e.of}`),
      ).toEqual(["1/2", "2/2"]);

      const file = readFileSync(join(root, "docs/recordings/demo.txt"), "utf8");
      const parsed = parseRecording("demo", file);
      expect(parsed).toMatchObject({
        about: "a demonstration",
        date: "2026-11-29T10:12:33Z",
        steps: [`tools$ ${PRINTS}`, "$ echo second; echo 120 ms"],
        output: made.output,
        digestMatches: true,
      });
      expect(parsed.machine).toMatch(/^\d+ cores, .+, .+, Node v\d+/);
      expect(parsed.revision).toMatch(/^[0-9a-f]{7,}/);

      // both languages: the translation shows the same recording, linked from one folder deeper
      expect(fillDocuments(root)).toEqual(["docs/demo.md", "docs/zh/demo.md"]);
      const doc = readFileSync(join(root, "docs/demo.md"), "utf8");
      expect(doc).toContain("```text\ntools$ printf");
      expect(doc).toContain("<sub>Recorded by `npm run docs:record -- demo` on 2026-11-29 10:12 UTC: ");
      expect(doc).toContain("([the recording](recordings/demo.txt))");
      const zh = readFileSync(join(root, "docs/zh/demo.md"), "utf8");
      expect(zh.replace("](../recordings/", "](recordings/").replace("# 演示 {#demo}", "# Demo")).toBe(doc);
      const { failures } = checkRepository(root);
      // the fixture's recipe is not one of the repository's, which the check says; nothing else fails
      expect(failures.map((f) => `${f.file}: ${f.message}`)).toEqual([
        "docs/recordings/demo.txt: no recipe named demo in packages/docs-check/src/recipes.ts records it",
      ]);
    },
  );

  it(
    "stops at a failing step with what it printed, and keeps the old recording",
    { timeout: 30_000 },
    async () => {
      const root = repository({ "docs/recordings/demo.txt": "old\n" });
      const failing = recipe([{ run: "echo first" }, { run: "echo 'no such file' >&2; exit 3" }]);
      await expect(record(root, failing, { terminal })).rejects.toThrow(RecordError);
      await expect(record(root, failing, { terminal })).rejects.toThrow(
        /demo: \$ echo 'no such file' >&2; exit 3 exited with 3:\nno such file/,
      );
      expect(readFileSync(join(root, "docs/recordings/demo.txt"), "utf8")).toBe("old\n");
    },
  );
});

describe("npm run docs:record", () => {
  it("refuses a recipe whose program is missing, with one line", async () => {
    const root = repository({ "x.txt": "" });
    await expect(
      record(root, { ...recipe([{ run: "true" }]), needs: ["no-such-program-here"] }),
    ).rejects.toThrow(
      "demo needs no-such-program-here, which this machine does not have (npm run doctor says how to get it)",
    );
  });
});
