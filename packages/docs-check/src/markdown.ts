/** A line of a Markdown file with its 1-based line number. */
export interface Line {
  line: number;
  text: string;
}

/** A fenced code block: the line of its opening fence, its info string's language, its content. */
export interface CodeBlock {
  line: number;
  lang: string;
  /** The content lines, without the indentation of the fence (blocks inside list items are indented). */
  lines: Line[];
}

/** A table: the line of its header row, the header cells, and each row's cells. */
export interface Table {
  line: number;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

/** Splits a Markdown file into its fenced code blocks and the lines outside them. */
export function parseMarkdown(text: string): { blocks: CodeBlock[]; prose: Line[] } {
  const lines = text.split("\n");
  const blocks: CodeBlock[] = [];
  const prose: Line[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) {
      prose.push({ line: i + 1, text: lines[i]! });
      continue;
    }
    const [, indent = "", fence = "", lang = ""] = open;
    const block: CodeBlock = { line: i + 1, lang: lang.toLowerCase(), lines: [] };
    for (i++; i < lines.length; i++) {
      const text = lines[i]!;
      const close = text.trimStart();
      if (close.startsWith(fence) && close.slice(fence.length).trim() === "") break;
      const dedented = text.startsWith(indent) ? text.slice(indent.length) : text.trimStart();
      block.lines.push({ line: i + 1, text: dedented });
    }
    blocks.push(block);
  }
  return { blocks, prose };
}

const SEPARATOR = /^\s*\|[\s|:-]+$/;

/** The tables among the lines outside code blocks. */
export function tables(prose: Line[]): Table[] {
  const found: Table[] = [];
  const isRow = (k: number) => prose[k]?.text.trimStart().startsWith("|") ?? false;
  // the next line of the file, not the next line after a code block
  const follows = (k: number) => prose[k]!.line === prose[k - 1]!.line + 1;
  for (let i = 0; i + 1 < prose.length; i++) {
    if (!isRow(i) || !isRow(i + 1) || !follows(i + 1) || !SEPARATOR.test(prose[i + 1]!.text)) continue;
    const table: Table = { line: prose[i]!.line, header: cells(prose[i]!.text), rows: [] };
    let k = i + 2;
    for (; isRow(k) && follows(k); k++)
      table.rows.push({ line: prose[k]!.line, cells: cells(prose[k]!.text) });
    found.push(table);
    i = k - 1;
  }
  return found;
}

/** The cells of a table row; a `|` inside backticks or escaped as `\|` does not split. */
export function cells(row: string): string[] {
  const result: string[] = [];
  let cell = "";
  let inCode = false;
  const text = row.trim().replace(/^\|/, "").replace(/\|$/, "");
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\" && text[i + 1] === "|") {
      cell += "|";
      i++;
    } else if (char === "`") {
      inCode = !inCode;
      cell += char;
    } else if (char === "|" && !inCode) {
      result.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  result.push(cell.trim());
  return result;
}

/** The targets of the inline links in a piece of Markdown, without their #fragment. */
export function linkTargets(markdown: string): string[] {
  return [...markdown.matchAll(/\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(([, target]) =>
    target!.replace(/#.*$/, ""),
  );
}

/** Paragraphs: runs of non-blank lines, whatever they hold (prose, a table, a code block's lines). */
export function paragraphs(text: string): Line[][] {
  const result: Line[][] = [];
  let current: Line[] = [];
  text.split("\n").forEach((text, i) => {
    if (text.trim() === "") {
      if (current.length > 0) result.push(current);
      current = [];
    } else current.push({ line: i + 1, text });
  });
  if (current.length > 0) result.push(current);
  return result;
}
