import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Failure } from "./failure.js";
import { parseMarkdown, type CodeBlock, type Line } from "./markdown.js";

/** The naming line: a comment holding one path from the repository root, e.g. `// stages/01-hello/src/app.ts`. */
const NAMING_LINE = /^(?:\/\/|#|--)\s*([\w@.-]+(?:\/[\w@.-]+)+)\s*$/;

/** An elision: a line that is only `…`, `// …`, `# …` or `-- …`. */
const ELISION = /^(?:(?:\/\/|#|--)\s*)?…$/;

/** The first line of a block that shows code which is in no file, on purpose. */
const SKETCH = /^(?:\/\/|--|#)\s*sketch\b/i;

/** Languages of the project's own code, by their line comment: a block in one of them quotes a file, so it must name it. */
const COMMENT: Record<string, string> = {
  ts: "//",
  typescript: "//",
  js: "//",
  javascript: "//",
  lua: "--",
  nginx: "#",
};

/** The file a block names on its first line, if it does. */
export function namedFile(block: CodeBlock): string | undefined {
  const first = block.lines[0]?.text.trim() ?? "";
  return NAMING_LINE.exec(first)?.[1];
}

/** The parts of a quote between its elisions, each without the blank lines at its edges. */
export function segments(lines: Line[]): Line[][] {
  const parts: Line[][] = [[]];
  for (const line of lines) {
    if (ELISION.test(line.text.trim())) parts.push([]);
    else parts.at(-1)!.push({ line: line.line, text: line.text.trimEnd() });
  }
  return parts
    .map((part) => {
      const first = part.findIndex((l) => l.text !== "");
      const last = part.findLastIndex((l) => l.text !== "");
      return first === -1 ? [] : part.slice(first, last + 1);
    })
    .filter((part) => part.length > 0);
}

/**
 * How many lines of `part` match `file` from line `at` on. A part may be shifted left as a whole
 * (a quote drops the indentation its lines have in the file), but the indentation within it must
 * be the file's; trailing whitespace is ignored, and a blank line matches a blank line.
 */
export function matchLength(file: string[], part: Line[], at: number): number {
  let indent: string | undefined;
  for (let i = 0; i < part.length; i++) {
    const quoted = part[i]!.text;
    const actual = file[at + i];
    if (actual === undefined) return i;
    if (quoted === "") {
      if (actual !== "") return i;
    } else if (indent === undefined) {
      indent = actual.slice(0, actual.length - quoted.length);
      if (!actual.endsWith(quoted) || indent.trim() !== "") return i;
    } else if (actual !== indent + quoted) return i;
  }
  return part.length;
}

/** Where `part` is, from line `from` on; or its first line that does not match, and why. */
export function findPart(
  file: string[],
  part: Line[],
  from: number,
): { at: number } | { mismatch: Line; why: string } {
  let best = { at: -1, length: 0 };
  for (let at = from; at < file.length; at++) {
    const length = matchLength(file, part, at);
    if (length === part.length) return { at };
    if (length > best.length) best = { at, length };
  }
  const mismatch = part[best.length]!;
  const text = mismatch.text.trim();
  const why = () => {
    if (best.length > 0 && file[best.at + best.length]?.trim() === text)
      return "indented differently in the file";
    if (best.length > 0 && file.some((line) => line.trim() === text)) {
      return "in the file, but not right after the line above it (mark a gap with an elision line, // …)";
    }
    if (file.some((line, at) => at >= from && line.trim() === text))
      return "indented differently in the file";
    if (file.some((line) => line.trim() === text)) return "in the file, but above the part quoted before it";
    return "not in the file";
  };
  return { mismatch, why: why() };
}

/** Checks one block against the file it names; nothing when it matches. */
export function checkBlock(root: string, doc: string, block: CodeBlock): Failure | undefined {
  const fail = (line: number, message: string): Failure => ({ check: "quote", file: doc, line, message });
  const path = namedFile(block);
  if (path === undefined) {
    const first = block.lines[0]?.text.trim() ?? "";
    if (!Object.hasOwn(COMMENT, block.lang) || SKETCH.test(first)) return undefined;
    const comment = COMMENT[block.lang] ?? "//";
    return fail(
      block.line,
      `a ${block.lang} block that names no file: start it with the file it quotes (${comment} stages/…), or with ${comment} sketch: if it quotes none`,
    );
  }
  const full = join(root, path);
  if (!existsSync(full) || !statSync(full).isFile())
    return fail(block.lines[0]!.line, `${path} does not exist`);
  const file = readFileSync(full, "utf8")
    .split("\n")
    .map((line) => line.trimEnd());
  let from = 0;
  for (const part of segments(block.lines.slice(1))) {
    const found = findPart(file, part, from);
    if ("at" in found) {
      from = found.at + part.length;
      continue;
    }
    return fail(found.mismatch.line, `${path}: ${found.why}: ${found.mismatch.text.trim()}`);
  }
  return undefined;
}

/** Every code block of these Markdown files that names a file (or should) against that file. */
export function checkQuotes(root: string, docs: string[]): { failures: Failure[]; quotes: number } {
  const failures: Failure[] = [];
  let quotes = 0;
  for (const doc of docs) {
    for (const block of parseMarkdown(readFileSync(join(root, doc), "utf8")).blocks) {
      if (namedFile(block) !== undefined) quotes++;
      const failure = checkBlock(root, doc, block);
      if (failure) failures.push(failure);
    }
  }
  return { failures, quotes };
}
