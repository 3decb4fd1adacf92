import { cpSync } from "node:fs";
import { basename } from "node:path";

/** What builds, tests and runs leave in a folder: never part of a copy. */
const MADE = new Set(["node_modules", "dist", ".turbo", ".data", ".vitest", "coverage", ".check"]);

/** Copies a stage's folder as its author wrote it, leaving out `skip` (top-level names) and what builds make. */
export function copyStage(from: string, to: string, skip: readonly string[] = []) {
  cpSync(from, to, {
    recursive: true,
    filter: (source) => {
      const name = basename(source);
      if (source === from) return true;
      if (MADE.has(name) || name.endsWith(".tsbuildinfo") || name.endsWith(".log")) return false;
      return !skip.some((top) => source === `${from}/${top}`);
    },
  });
}
