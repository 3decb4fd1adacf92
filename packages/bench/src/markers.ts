import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * What a marker's content becomes, given the words after its name (`<!-- bench:value 04 list rps -->`
 * gives ["04", "list", "rps"]); undefined leaves the marker as it was.
 */
export type Fill = (args: string[]) => string | undefined;

/**
 * Replaces the content between `<!-- bench:NAME args -->` and `<!-- /bench:NAME -->`, for every
 * NAME in `fills`. A marker its fill has nothing for is left as it was, and `warn` says so.
 */
export function replaceMarkers(
  text: string,
  fills: Record<string, Fill>,
  warn: (line: string) => void = console.warn,
): string {
  let result = text;
  for (const [name, fill] of Object.entries(fills)) {
    const marker = new RegExp(
      `(<!-- bench:${name}((?: [\\w:,-]+)*) -->)([\\s\\S]*?)(<!-- \\/bench:${name} -->)`,
      "g",
    );
    result = result.replace(marker, (whole, open: string, args: string, _old, close: string) => {
      const content = fill(args.trim().split(" ").filter(Boolean));
      if (content === undefined) {
        warn(`docs: nothing measured for ${open}; left as it was`);
        return whole;
      }
      return `${open}${content}${close}`;
    });
  }
  return result;
}

/**
 * Fills the markers of every Markdown file in `docs` and in its Chinese pages, `docs/zh` (but the
 * names in `except`, in both); returns the files it changed. Both languages quote the same numbers.
 */
export function fillMarkersIn(
  docs: string,
  fill: (text: string) => string,
  except: readonly string[] = [],
): string[] {
  const written: string[] = [];
  const zh = join(docs, "zh");
  for (const folder of existsSync(zh) ? [docs, zh] : [docs]) {
    for (const name of readdirSync(folder).filter((n) => n.endsWith(".md") && !except.includes(n))) {
      const path = join(folder, name);
      const before = readFileSync(path, "utf8");
      const after = fill(before);
      if (after !== before) {
        writeFileSync(path, after);
        written.push(path);
      }
    }
  }
  return written;
}
