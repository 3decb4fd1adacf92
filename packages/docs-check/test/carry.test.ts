import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { carry, CarryError } from "../src/carry.js";
import { repository, write } from "./fixture.js";

const STORE = "export const store = new Map();\n";
const FIXED = "export const store = new Map<string, string>();\n";
const COUNTED = "export const store = new Map();\nexport const count = () => store.size;\n";

/** store.ts is carried from 01 to 02 and 03, and changed on purpose in 04; 05 has none. */
const STAGES = {
  "stages/01-hello/src/store.ts": STORE,
  "stages/01-hello/src/server.ts": 'log("stage 01-hello listening");\n',
  "stages/02-memory/src/store.ts": STORE,
  "stages/02-memory/src/server.ts": 'log("stage 02-memory listening");\n',
  "stages/03-mongo/src/store.ts": STORE,
  "stages/03-mongo/src/server.ts": 'log("stage 03-mongo listening on a port");\n',
  "stages/04-index/src/store.ts": COUNTED,
  "stages/05-cluster/src/app.ts": "export {};\n",
  "docs/04-index.md": [
    "| file | what changed |",
    "|---|---|",
    "| [`src/store.ts`](../stages/04-index/src/store.ts) | `count()` for the progress bar |",
    "",
  ].join("\n"),
};

const read = (root: string, path: string) => readFileSync(join(root, path), "utf8");

describe("npm run carry", () => {
  it("applies a fix to every later stage whose copy was the committed version, and leaves the others alone", () => {
    const root = repository(STAGES);
    write(root, { "stages/01-hello/src/store.ts": FIXED });
    const report = carry(root, "stages/01-hello/src/store.ts");
    expect(report.copies).toEqual([
      { path: "stages/02-memory/src/store.ts", outcome: "updated" },
      { path: "stages/03-mongo/src/store.ts", outcome: "updated" },
      {
        path: "stages/04-index/src/store.ts",
        outcome: "left alone",
        note: "docs/04-index.md:3: `count()` for the progress bar",
      },
      { path: "stages/05-cluster/src/store.ts", outcome: "absent" },
    ]);
    expect(read(root, "stages/02-memory/src/store.ts")).toBe(FIXED);
    expect(read(root, "stages/03-mongo/src/store.ts")).toBe(FIXED);
    expect(read(root, "stages/04-index/src/store.ts")).toBe(COUNTED);
  });

  it("carries a file that differs only by the stage's name, keeping each stage's name", () => {
    const root = repository(STAGES);
    write(root, { "stages/01-hello/src/server.ts": 'info("stage 01-hello listening");\n' });
    const report = carry(root, "stages/01-hello/src/server.ts");
    expect(report.copies.map((copy) => copy.outcome)).toEqual(["updated", "left alone", "absent", "absent"]);
    expect(read(root, "stages/02-memory/src/server.ts")).toBe('info("stage 02-memory listening");\n');
    expect(read(root, "stages/03-mongo/src/server.ts")).toBe('log("stage 03-mongo listening on a port");\n');
  });

  it("says so when the file has no uncommitted change, and when a later copy already has the fix", () => {
    const root = repository(STAGES);
    expect(carry(root, "stages/01-hello/src/store.ts")).toEqual({
      source: "stages/01-hello/src/store.ts",
      changed: false,
      copies: [],
    });
    write(root, { "stages/01-hello/src/store.ts": FIXED, "stages/02-memory/src/store.ts": FIXED });
    expect(carry(root, "stages/01-hello/src/store.ts").copies[0]).toEqual({
      path: "stages/02-memory/src/store.ts",
      outcome: "already up to date",
    });
  });

  it("refuses a path that is not a committed file inside a stage", () => {
    const root = repository(STAGES);
    expect(() => carry(root, "docs/04-index.md")).toThrow(CarryError);
    expect(() => carry(root, "stages/09-none/src/store.ts")).toThrow(/not inside a stage/);
    expect(() => carry(root, "stages/01-hello/src/nothing.ts")).toThrow(/not a file/);
    write(root, { "stages/01-hello/src/new.ts": "export {};\n" });
    expect(() => carry(root, "stages/01-hello/src/new.ts")).toThrow(/not committed/);
  });

  it("exits non-zero from the command line on a path outside the stages", { timeout: 30_000 }, () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/carry-cli.ts", "README.md"], {
      cwd: new URL("..", import.meta.url).pathname,
      encoding: "utf8",
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^carry: \S*README\.md is not inside a stage/);
  });
});
