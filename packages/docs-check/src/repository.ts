import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { chinesePages, englishPages } from "./translations.js";

/** Folders and files that are built, installed or generated: never part of a stage's lesson. */
const GENERATED = new Set(["node_modules", "dist", ".data", ".vitest", ".turbo", "coverage"]);

const isGenerated = (path: string) =>
  path.split("/").some((part) => GENERATED.has(part)) || path.endsWith(".tsbuildinfo");

/** A stage folder, `stages/NN-name`, by its number. */
export interface Stage {
  number: number;
  name: string;
  dir: string;
}

/** The stages, in order. */
export function listStages(root: string): Stage[] {
  const dir = join(root, "stages");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d+-/.test(entry.name))
    .map((entry) => ({
      number: Number.parseInt(entry.name, 10),
      name: entry.name,
      dir: `stages/${entry.name}`,
    }))
    .sort((a, b) => a.number - b.number);
}

/**
 * Each stage's files (paths inside the stage folder), as git sees the working tree: committed or
 * new, but never git-ignored, and never built or installed.
 */
export function stageFiles(root: string): Map<string, Set<string>> {
  const files = new Map<string, Set<string>>(listStages(root).map((stage) => [stage.dir, new Set()]));
  for (const path of gitFiles(root, "stages")) {
    const [, name, ...rest] = path.split("/");
    const inStage = rest.join("/");
    if (isGenerated(inStage) || !isFile(join(root, path))) continue;
    files.get(`stages/${name}`)?.add(inStage);
  }
  return files;
}

/** Paths under `dir` that git tracks or would track (untracked but not ignored), from the root. */
export function gitFiles(root: string, dir: string): string[] {
  let out: string;
  try {
    out = execFileSync(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--deduplicate", "--", dir],
      { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] },
    );
  } catch (error) {
    throw new Error(
      `git ls-files failed in ${root}: the checks need git to tell a stage's files from ignored ones`,
      { cause: error },
    );
  }
  return out.split("\0").filter(Boolean);
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false; // tracked but deleted from the working tree
  }
};

/**
 * The Markdown files whose quotes and numbers are checked: docs/*.md and their translations in
 * docs/zh/, README.md and README.zh-CN.md, stages/*\/README.md.
 */
export function documents(root: string): string[] {
  const [english, chinese] = [englishPages(root), chinesePages(root)];
  const inDocs = (page: string) => page.startsWith("docs/");
  const readmes = listStages(root)
    .map((stage) => `${stage.dir}/README.md`)
    .filter((path) => existsSync(join(root, path)));
  return [
    ...english.filter(inDocs),
    ...chinese.filter(inDocs),
    ...english.filter((page) => !inDocs(page)),
    ...chinese.filter((page) => !inDocs(page)),
    ...readmes,
  ];
}

/** The chapter of a stage, `docs/NN-*.md` with the stage's number. */
export function chapterOf(root: string, stage: Stage): string | undefined {
  const prefix = String(stage.number).padStart(2, "0") + "-";
  const name = existsSync(join(root, "docs"))
    ? readdirSync(join(root, "docs")).find((name) => name.startsWith(prefix) && name.endsWith(".md"))
    : undefined;
  return name && `docs/${name}`;
}
