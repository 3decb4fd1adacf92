import { looksLikeAnnotation } from "./annotation.js";
import { parseMarkdown } from "./markdown.js";
import { recordMarkers } from "./record-markers.js";

/**
 * What tools write into a page, and a translation copies as it is: what a bench marker holds (the
 * tour and the bench commands fill `<!-- bench:NAME … -->` … `<!-- /bench:NAME -->`), what a record
 * marker holds (`npm run docs:record` fills `<!-- record:NAME -->` … `<!-- /record:NAME -->`), and
 * the `<!-- docs:run … -->` / `<!-- docs:skip … -->` lines that say how a shell block runs.
 */
export interface Fragment {
  /** The line it starts on. */
  line: number;
  kind: "bench" | "record" | "docs";
  /** Its text, markers included (an annotation line without its indentation). */
  text: string;
}

const BENCH = /<!-- bench:([\w-]+)(?: [^>]*?)? -->[\s\S]*?<!-- \/bench:\1 -->/g;

/** The fragments of a page, in the order they appear (those inside code blocks are the blocks'). */
export function fragments(text: string): Fragment[] {
  const lines = text.split("\n");
  const { blocks, prose } = parseMarkdown(text);
  const inCode = new Set(blocks.flatMap((block) => [block.line, ...block.lines.map((l) => l.line)]));
  const { markers } = recordMarkers(text);
  const inRecord = (line: number) => markers.some((m) => m.open <= line && line <= m.close);
  const found: (Fragment & { column: number })[] = [];

  const starts = [0];
  for (const line of lines) starts.push(starts.at(-1)! + line.length + 1);
  const lineAt = (index: number) => starts.findLastIndex((start) => start <= index) + 1;
  for (const match of text.matchAll(BENCH)) {
    const line = lineAt(match.index);
    if (inCode.has(line) || inRecord(line)) continue;
    found.push({ line, column: match.index - starts[line - 1]!, kind: "bench", text: match[0] });
  }
  for (const marker of markers) {
    const text = lines.slice(marker.open - 1, marker.close).join("\n");
    found.push({ line: marker.open, column: 0, kind: "record", text });
  }
  for (const { line, text } of prose) {
    if (looksLikeAnnotation(text) && !inRecord(line))
      found.push({ line, column: 0, kind: "docs", text: text.trim() });
  }
  return found
    .sort((a, b) => a.line - b.line || a.column - b.column)
    .map(({ line, kind, text }) => ({ line, kind, text }));
}
