import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A throwaway git repository holding `files` (path → content), committed; removed after the test. */
export function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "docs-check-"));
  made.push(root);
  git(root, "init", "--quiet", "--initial-branch=main");
  write(root, files);
  commit(root);
  return root;
}

export function write(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export function commit(root: string): void {
  git(root, "add", "-A");
  git(root, "commit", "--quiet", "-m", "fixture");
}

/** git with a config of its own: the user's signing, hooks or identity never get in the way. */
const git = (root: string, ...args: string[]) =>
  execFileSync(
    "git",
    [
      ...["-c", "user.name=fixture", "-c", "user.email=fixture@example.com"],
      ...["-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null"],
      ...args,
    ],
    { cwd: root, stdio: "pipe" },
  );

/** A Markdown code block, fenced. */
export const block = (lang: string, ...lines: string[]) => ["```" + lang, ...lines, "```"].join("\n");
