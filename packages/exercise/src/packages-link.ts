import { existsSync, lstatSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { modulesDir, repoRoot } from "./repository.js";
import { isInside } from "./shown.js";

/**
 * An exercise resolves its packages (hono, the test kit, vitest…) from the repository's node_modules,
 * as a stage does. Under the repository that happens by itself; anywhere else the exercises' folder
 * gets a node_modules link to it. Returns the problem when that folder has a node_modules of its own.
 */
export function linkPackages(root: string): string | undefined {
  if (isInside(root, repoRoot)) return undefined;
  const link = join(root, "node_modules");
  if (isLink(link)) return undefined;
  if (existsSync(link))
    return `${link} is not a link to ${modulesDir}: the exercise may not find its packages`;
  symlinkSync(modulesDir, link, "dir");
  return undefined;
}

const isLink = (path: string) => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};
