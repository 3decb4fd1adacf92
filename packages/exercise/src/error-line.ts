// eslint-disable-next-line no-control-regex -- colours are what it removes
const COLOURS = /\u001b\[[0-9;]*m/g;
/** A line that is a stack frame or a source location, not words. */
const NOISE = /^(node:|at |\^|throw |\S+:\d+(:\d+)?$)/;

/**
 * The line of an error a person reads: its first, unless that is a location (a child's stderr
 * quoted in an assertion), then its first `Error`. Paths inside `root` are shown relative to it.
 */
export function errorLine(error: unknown, root: string): string {
  const message =
    typeof error === "object" && error !== null && "message" in error
      ? String(error.message)
      : String(error ?? "");
  const lines = message
    .replace(COLOURS, "")
    .replaceAll(`${root}/`, "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  const first = lines[0] ?? "failed";
  return NOISE.test(first)
    ? (lines.find((line) => /Error\b/.test(line) && !NOISE.test(line)) ?? first)
    : first;
}
