import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chapterOf, listStages, type Stage } from "./repository.js";
import { fileTable } from "./tables.js";

/** A path that carry cannot work with; the message says why, for a person. */
export class CarryError extends Error {}

/** What happened to one later stage's copy. */
export interface CarriedCopy {
  path: string;
  outcome: "updated" | "already up to date" | "left alone" | "absent";
  /** For a copy left alone: what the stage's chapter says about the file, if its file table lists it. */
  note?: string;
}

export interface CarryReport {
  source: string;
  /** False when the file has no uncommitted change: then nothing was carried. */
  changed: boolean;
  copies: CarriedCopy[];
}

/**
 * Applies the current content of `path` (a file in a stage, from the repository root) to every later
 * stage whose copy is the file's committed version (git HEAD), and leaves the copies that differ on
 * purpose alone. A copy that differs only by the stage's name (the start-up line) counts as the same.
 */
export function carry(root: string, path: string): CarryReport {
  const [, name, inStage] = /^stages\/([^/]+)\/(.+)$/.exec(path) ?? [];
  const stages = listStages(root);
  const index = stages.findIndex((stage) => stage.name === name);
  if (!name || !inStage || index === -1) {
    throw new CarryError(`${path} is not inside a stage (stages/NN-name/…)`);
  }
  const full = join(root, path);
  if (!existsSync(full) || !statSync(full).isFile()) throw new CarryError(`${path} is not a file`);
  const committed = committedVersion(root, path);
  if (committed === undefined) {
    throw new CarryError(`${path} is not committed: carry compares later stages with its committed version`);
  }
  const current = readFileSync(full, "utf8");
  const source = stages[index]!;
  if (current === committed) return { source: path, changed: false, copies: [] };

  const copies = stages.slice(index + 1).map((stage): CarriedCopy => {
    const copy = `${stage.dir}/${inStage}`;
    const target = join(root, copy);
    if (!existsSync(target)) return { path: copy, outcome: "absent" };
    const rename = (text: string) => text.replaceAll(source.name, stage.name);
    const content = readFileSync(target, "utf8");
    if (content === rename(current)) return { path: copy, outcome: "already up to date" };
    if (content === rename(committed)) {
      writeFileSync(target, rename(current));
      return { path: copy, outcome: "updated" };
    }
    return { path: copy, outcome: "left alone", note: tableNote(root, stages, stage, inStage) };
  });
  return { source: path, changed: true, copies };
}

/** The file's content at git HEAD, or undefined when HEAD does not have it. */
function committedVersion(root: string, path: string): string | undefined {
  try {
    return execFileSync("git", ["show", `HEAD:./${path}`], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "ignore"],
    });
  } catch {
    return undefined;
  }
}

/** What the chapter of `stage` says about `inStage` in its file table. */
function tableNote(root: string, stages: Stage[], stage: Stage, inStage: string): string | undefined {
  const before = stages[stages.indexOf(stage) - 1];
  const chapter = chapterOf(root, stage);
  if (!before || !chapter) return undefined;
  const row = fileTable(root, chapter, stage, before)?.rows.find((row) =>
    row.files.includes(`${stage.dir}/${inStage}`),
  );
  return row && `${chapter}:${row.line}: ${row.note}`;
}
