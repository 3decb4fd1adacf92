import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const root = new URL("../../../", import.meta.url).pathname;
export const docs = join(root, "docs");
export const dist = join(docs, ".vitepress", "dist");

/** The newest modification time under `dir`, leaving out the site's own output. */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    if (entry.name === "dist" || entry.name === "cache" || entry.name === "node_modules") return latest;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    return Math.max(latest, time);
  }, 0);
}

/**
 * The built site's folder, built first when it is missing or older than docs/ or the site's code
 * (`npm test` builds it through turbo before; a test run on its own may come after an edit).
 */
export function builtSite(): string {
  const built = join(dist, "hashmap.json");
  const sources = Math.max(newest(docs), newest(join(root, "packages", "site", "src")));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return dist;
  const run = spawnSync("npx", ["vitepress", "build", "docs"], { cwd: root, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`vitepress build docs failed:\n${run.stdout}\n${run.stderr}`);
  return dist;
}
