import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Copies every file of the site's source folder that is not a page (recorded command output,
 * benchmark results, the chart) into the built site at the same path, so a page's link to
 * `recordings/05-pairs.txt` opens the file there as it does on the repository host.
 */
export function copyDocsFiles(srcDir: string, outDir: string, under = ""): string[] {
  return readdirSync(join(srcDir, under), { withFileTypes: true }).flatMap((entry) => {
    const path = under ? `${under}/${entry.name}` : entry.name;
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    if (entry.isDirectory()) return copyDocsFiles(srcDir, outDir, path);
    if (entry.name.endsWith(".md")) return [];
    cpSync(join(srcDir, path), join(outDir, path));
    return [path];
  });
}
