import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { stageChanges, type Change } from "./changes.js";
import type { Failure } from "./failure.js";
import { linkTargets, parseMarkdown, tables } from "./markdown.js";
import { chapterOf, listStages, stageFiles, type Stage } from "./repository.js";
import { originalOf, translationOf } from "./translations.js";

/** A row of a chapter's file table: the stage files its first cell links to, and what it says. */
export interface TableRow {
  line: number;
  files: string[];
  note: string;
}

/** The first column's heading of a file table: `file`, or `文件` in a translation. */
const FILE_HEADINGS = ["file", "文件"];

/**
 * The file table of a chapter: its first table whose first column is headed `file` (`文件`). Its rows name
 * files by links into the stage (`../stages/06-cache/src/app.ts`), or into the stage before for a
 * file the stage removed.
 */
export function fileTable(
  root: string,
  chapter: string,
  stage: Stage,
  before: Stage,
): { line: number; rows: TableRow[] } | undefined {
  const { prose } = parseMarkdown(readFileSync(join(root, chapter), "utf8"));
  const table = tables(prose).find((t) => FILE_HEADINGS.includes(plain(t.header[0] ?? "")));
  if (!table) return undefined;
  const rows = table.rows.map(({ line, cells: [first = "", ...rest] }) => ({
    line,
    files: linkTargets(first).flatMap((target) => {
      const path = posix.normalize(posix.join(dirname(chapter), target));
      for (const dir of [stage.dir, before.dir]) if (path.startsWith(`${dir}/`)) return [path];
      return [];
    }),
    note: rest.join(" | "),
  }));
  return { line: table.line, rows };
}

type StageFiles = Map<string, Set<string>>;

const plain = (cell: string) => cell.replace(/[`*_]/g, "").trim().toLowerCase();

/**
 * Each chapter's file table, and its translation's, against the files that differ between its stage
 * and the one before.
 */
export function checkTables(root: string): { failures: Failure[]; tables: number } {
  const failures: Failure[] = [];
  const files = stageFiles(root);
  const stages = listStages(root);
  let checked = 0;
  stages.forEach((stage, i) => {
    const before = stages[i - 1];
    const english = chapterOf(root, stage);
    if (!before || !english) return;
    const translation = translationOf(english);
    const chapters = [english, ...(translation && existsSync(join(root, translation)) ? [translation] : [])];
    const changes = stageChanges(
      root,
      { ...before, files: files.get(before.dir)! },
      { ...stage, files: files.get(stage.dir)! },
    );
    for (const chapter of chapters) {
      if (checkTable(root, chapter, { stage, before, changes, files }, failures)) checked++;
    }
  });
  return { failures, tables: checked };
}

/** One chapter's file table against the stage's changes; false when it has none. */
function checkTable(
  root: string,
  chapter: string,
  { stage, before, changes, files }: { stage: Stage; before: Stage; changes: Change[]; files: StageFiles },
  failures: Failure[],
): boolean {
  const fail = (line: number, message: string) =>
    failures.push({ check: "table", file: chapter, line, message });
  const table = fileTable(root, chapter, stage, before);
  if (!table) {
    const headed = originalOf(chapter) ? '"文件" (or "file")' : '"file"';
    fail(
      1,
      `no file table (a table whose first column is headed ${headed}) for ${before.name} → ${stage.name}`,
    );
    return false;
  }
  const differing = new Set(changes.map((change) => change.path));
  const listed = new Set<string>();
  for (const row of table.rows) {
    if (row.files.length === 0) {
      const deeper = originalOf(chapter)
        ? ` (from ${dirname(chapter)}/ a link into the stages starts ../../)`
        : "";
      fail(row.line, `file table: this row links to no file of ${stage.dir} or ${before.dir}${deeper}`);
    }
    for (const path of row.files) {
      const [dir, inStage] = splitStage(path);
      if (!files.get(dir)?.has(inStage)) {
        fail(row.line, `file table: links to ${path}, which is not a file of ${dir}`);
        continue;
      }
      listed.add(inStage);
      if (!differing.has(inStage)) {
        fail(row.line, `file table lists ${inStage}, which is identical in ${before.name} and ${stage.name}`);
      }
    }
  }
  for (const change of changes) {
    if (change.lesson && !listed.has(change.path)) {
      fail(table.line, `file table does not list ${change.path} (${change.kind} since ${before.name})`);
    }
  }
  return true;
}

/** `stages/06-cache/src/app.ts` → [`stages/06-cache`, `src/app.ts`]. */
const splitStage = (path: string): [string, string] => {
  const [top = "", name = "", ...rest] = path.split("/");
  return [`${top}/${name}`, rest.join("/")];
};
