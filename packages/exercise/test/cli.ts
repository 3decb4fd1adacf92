import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runNode } from "@zero-to-one/test-kit";
import { onTestFinished } from "vitest";

const cli = new URL("../dist/cli.js", import.meta.url).pathname;

/** A folder for a test's exercises, removed after it: never the repository's exercises/. */
export function exercisesRoot() {
  const root = mkdtempSync(join(tmpdir(), "zto-exercises-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** `npm run exercise -- …args` as the root script runs it (the built CLI), with the exercises in `root`. */
export const exercise = (root: string, ...args: string[]) => runNode([cli, ...args, "--exercises", root]);
