import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";

const cli = new URL("../dist/cli.js", import.meta.url).pathname;

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A folder for a test's exercises, removed after it: never the repository's exercises/. */
export function exercisesRoot() {
  const root = mkdtempSync(join(tmpdir(), "zto-exercises-"));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** `npm run exercise -- …args` as the root script runs it (the built CLI), with the exercises in `root`. */
export function exercise(root: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args, "--exercises", root], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (status) => resolve({ status, stdout, stderr }));
  });
}
