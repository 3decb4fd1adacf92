import { readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";

/**
 * A stage's tsconfig extends `../../tsconfig.base.json`; a copy elsewhere must still reach that file.
 * Only the path changes, written as the stage wrote it, so a copy in exercises/ is byte for byte the stage's.
 */
export function relocateTsconfig(original: string, copy: string) {
  const text = readFileSync(copy, "utf8");
  const moved = text.replace(
    /("extends"\s*:\s*")([^"]+)(")/,
    (_, open: string, path: string, close: string) => {
      const target = resolve(dirname(original), path);
      return `${open}${relative(dirname(copy), target)}${close}`;
    },
  );
  if (moved !== text) writeFileSync(copy, moved);
}
