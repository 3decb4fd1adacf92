/**
 * JSON as prettier prints it (printWidth 110): objects one key per line, arrays of plain values
 * on one line when they fit. The committed results file then passes the repository's format check.
 */
export function prettyJson(value: unknown, width = 110): string {
  return format(value, "", 0, width) + "\n";
}

function format(value: unknown, indent: string, used: number, width: number): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object")) {
      const oneLine = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      if (used + oneLine.length + 1 <= width) return oneLine;
    }
    const items = value.map((v) => inner + format(v, inner, inner.length, width));
    return `[\n${items.join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([k, v]) => {
    const key = `${inner}${JSON.stringify(k)}: `;
    return key + format(v, inner, key.length, width);
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}
