import { join, resolve } from "node:path";

/** The repository this package sits in: packages/exercise/dist/… → the root. */
export const repoRoot = resolve(new URL("../../..", import.meta.url).pathname);
export const stagesDir = join(repoRoot, "stages");
export const docsDir = join(repoRoot, "docs");
/** The repository's node_modules: an exercise's packages, as a stage's, resolve from there. */
export const modulesDir = join(repoRoot, "node_modules");

/** Where exercises live: `--exercises DIR`, else ZTO_EXERCISES, else `exercises/` at the root (git-ignored). */
export const exercisesRoot = (option?: string) =>
  resolve(option ?? process.env["ZTO_EXERCISES"] ?? join(repoRoot, "exercises"));
