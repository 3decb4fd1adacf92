import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** Languages every highlighter shows as plain text: no grammar needed. */
const PLAIN = new Set(["", "text", "txt", "plain", "plaintext", "ansi"]);

/** The language of every ``` or ~~~ fence in the markdown files under `dir`, with where it is used. */
export function fenceLanguages(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of markdownFilesUnder(dir)) {
    let open: string | undefined;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, index) => {
        const fence = /^ {0,3}(`{3,}|~{3,})\s*([^\s{:`]*)/.exec(line);
        if (!fence) return;
        if (open === undefined) {
          open = fence[1]!;
          const lang = fence[2]!.toLowerCase();
          found.set(lang, [...(found.get(lang) ?? []), `${relative(dir, file)}:${index + 1}`]);
        } else if (fence[1]!.startsWith(open) && fence[2] === "") {
          open = undefined;
        }
      });
  }
  return found;
}

/**
 * Fence languages the highlighter does not know (`known`: its grammars and their aliases, plus
 * `aliases` mapped by the site's config): each would be shown uncoloured with only a warning.
 */
export function unknownFenceLanguages(
  dir: string,
  known: Iterable<string>,
  aliases: Record<string, string> = {},
): string[] {
  const names = new Set([...known, ...PLAIN, ...Object.keys(aliases)]);
  return [...fenceLanguages(dir)]
    .filter(([lang]) => !names.has(lang))
    .map(([lang, where]) => `${lang} (${where.join(", ")})`);
}

function markdownFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith(".") || entry.name === "node_modules") return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownFilesUnder(path);
    return entry.name.endsWith(".md") ? [path] : [];
  });
}
