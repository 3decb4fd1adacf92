import { readFileSync } from "node:fs";
import { join } from "node:path";

/** A file that differs between a stage and the one before, by its path inside the stage folder. */
export interface Change {
  path: string;
  kind: "new" | "changed" | "removed";
  /** False for what a chapter's table need not list (see LESSON_RULE). */
  lesson: boolean;
}

/** What a chapter's file table must list, said once for the README and the error messages. */
export const LESSON_RULE =
  "a chapter's file table lists every file of its stage that differs from the stage before (new, changed or removed), " +
  "except README.md, test/, vitest.config.*, turbo.json and a file whose only change is the stage's name (package.json's name, " +
  "the start-up line); every file it lists must differ";

/**
 * Not the lesson: the stage's README, its tests and how the repository runs them (vitest.config,
 * turbo.json), and a file in which only the stage's name changed.
 */
function isLesson(
  path: string,
  before: { name: string; content?: Buffer },
  after: { name: string; content?: Buffer },
): boolean {
  if (
    path === "README.md" ||
    path === "turbo.json" ||
    path.startsWith("test/") ||
    /^vitest\.config\.\w+$/.test(path)
  )
    return false;
  if (!before.content || !after.content) return true;
  const renamed = before.content.toString("utf8").replaceAll(before.name, after.name);
  return renamed !== after.content.toString("utf8");
}

/** The files that differ between two stage folders, byte for byte, sorted by path. */
export function stageChanges(
  root: string,
  before: { name: string; dir: string; files: Set<string> },
  after: { name: string; dir: string; files: Set<string> },
): Change[] {
  const changes: Change[] = [];
  for (const path of [...new Set([...before.files, ...after.files])].sort()) {
    const a = before.files.has(path) ? readFileSync(join(root, before.dir, path)) : undefined;
    const b = after.files.has(path) ? readFileSync(join(root, after.dir, path)) : undefined;
    if (a && b && a.equals(b)) continue;
    const kind = a === undefined ? "new" : b === undefined ? "removed" : "changed";
    changes.push({
      path,
      kind,
      lesson: isLesson(path, { name: before.name, content: a }, { name: after.name, content: b }),
    });
  }
  return changes;
}
