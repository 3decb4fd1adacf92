import { isAbsolute, relative } from "node:path";
import { repoRoot } from "./repository.js";

export const isInside = (path: string, parent: string) => {
  const rest = relative(parent, path);
  return rest === "" || (!rest.startsWith("..") && !isAbsolute(rest));
};

/** A path as the learner types it from the repository's root: `exercises/04-index`, else in full. */
export const shown = (path: string) => (isInside(path, repoRoot) ? relative(repoRoot, path) || "." : path);
