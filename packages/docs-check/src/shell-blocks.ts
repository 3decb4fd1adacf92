import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Annotation, looksLikeAnnotation, parseAnnotation } from "./annotation.js";
import { splitAnd, splitComment } from "./command-line.js";
import type { Failure } from "./failure.js";
import { type Line, parseMarkdown } from "./markdown.js";
import { originalOf } from "./translations.js";

/** A shell block a reader is told to type, with the annotation before it, if any. */
export interface ShellBlock {
  file: string;
  /** The line of the opening fence: the block's name is `file:line`. */
  line: number;
  lines: Line[];
  annotation?: Annotation;
  /** The line of the annotation comment. */
  annotationLine?: number;
}

const SHELL = new Set(["sh", "bash", "shell"]);

export const blockName = (block: { file: string; line: number }) => `${block.file}:${block.line}`;

/**
 * The blocks a whole run runs. A translation's block that is a block of its English page, annotation
 * and all (the translations check holds it to that), is the same command: it runs once, under the
 * English page's name. One that differs runs too; naming a translation's file runs its blocks.
 */
export function blocksToRun(blocks: ShellBlock[]): ShellBlock[] {
  const key = (block: ShellBlock) =>
    `${JSON.stringify(block.annotation ?? null)}\n${block.lines.map((l) => l.text).join("\n")}`;
  const english = new Map<string, Set<string>>();
  for (const block of blocks) {
    if (originalOf(block.file)) continue;
    if (!english.has(block.file)) english.set(block.file, new Set());
    english.get(block.file)!.add(key(block));
  }
  return blocks.filter((block) => {
    const original = originalOf(block.file);
    return !original || !english.get(original)?.has(key(block));
  });
}

/** The shell blocks of `docs`, and what is wrong with their annotations. */
export function shellBlocks(root: string, docs: string[]): { blocks: ShellBlock[]; failures: Failure[] } {
  const blocks: ShellBlock[] = [];
  const failures: Failure[] = [];
  const fail = (file: string, line: number, message: string) =>
    failures.push({ check: "command", file, line, message });
  for (const file of docs) {
    const text = readFileSync(join(root, file), "utf8");
    const raw = text.split("\n");
    const { blocks: code, prose } = parseMarkdown(text);
    const annotations = prose.filter(({ text }) => looksLikeAnnotation(text));
    for (const { line, text } of annotations) {
      const next = raw.slice(line).findIndex((l) => l.trim() !== "");
      const fence = code.find((block) => block.line === line + next + 1);
      if (!fence || !SHELL.has(fence.lang)) {
        fail(file, line, "a docs:run or docs:skip annotation must be right before a ```sh block");
        continue;
      }
      const annotation = parseAnnotation(text);
      if ("error" in annotation) fail(file, line, annotation.error);
    }
    for (const block of code.filter((b) => SHELL.has(b.lang))) {
      const before = annotations.filter(({ line }) => line < block.line).at(-1);
      const between = before && raw.slice(before.line, block.line - 1).every((l) => l.trim() === "");
      const parsed = before && between ? parseAnnotation(before.text) : undefined;
      blocks.push({
        file,
        line: block.line,
        lines: block.lines,
        ...(parsed && !("error" in parsed) ? { annotation: parsed, annotationLine: before!.line } : {}),
      });
    }
  }
  for (const block of blocks) failures.push(...checkBlock(root, block));
  failures.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { blocks, failures };
}

/** What can be checked without running anything: the annotation against the block, docker compose's services. */
function checkBlock(root: string, block: ShellBlock): Failure[] {
  const failures: Failure[] = [];
  const fail = (line: number, message: string) =>
    failures.push({ check: "command", file: block.file, line, message });
  const { annotation, annotationLine = block.line } = block;
  const commands = block.lines.map(({ text }) => splitComment(text).command);
  if (annotation?.kind === "run") {
    const text = commands.join("\n");
    for (const { from } of annotation.replace) {
      if (!text.includes(from)) fail(annotationLine, `replace: "${from}" is not in the block`);
    }
    const parts = commands.flatMap(splitAnd);
    for (const command of annotation.help) {
      if (!parts.some((part) => part.startsWith(command)))
        fail(annotationLine, `help: no command of the block starts with "${command}"`);
    }
    const cwd = annotation.cwd && join(root, annotation.cwd);
    if (cwd && !(existsSync(cwd) && statSync(cwd).isDirectory()))
      fail(annotationLine, `cwd: ${annotation.cwd} is not a folder`);
  }
  const services = composeServices(root);
  for (const { line, text } of block.lines) {
    for (const [, args = ""] of text.matchAll(/docker[ -]compose up\b([^#;&|]*)/g)) {
      for (const name of args
        .trim()
        .split(/\s+/)
        .filter((word) => word && !word.startsWith("-"))) {
        if (!services.includes(name)) {
          fail(
            line,
            `docker compose: docker-compose.yml defines no service "${name}" (it has ${services.join(", ")})`,
          );
        }
      }
    }
  }
  return failures;
}

/** The services docker-compose.yml defines. */
export function composeServices(root: string): string[] {
  const file = join(root, "docker-compose.yml");
  if (!existsSync(file)) return [];
  const names: string[] = [];
  let inServices = false;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (/^\S/.test(line)) inServices = /^services:\s*$/.test(line);
    const name = inServices ? /^ {2}([\w.-]+):\s*$/.exec(line) : null;
    if (name) names.push(name[1]!);
  }
  return names;
}
