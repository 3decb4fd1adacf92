/** An escape sequence: CSI (`ESC [ … letter`), OSC (`ESC ] … BEL`), or a two-character one. */
// eslint-disable-next-line no-control-regex -- escape sequences are what this reads
const ESCAPE = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/y;

/**
 * One line as a terminal would show it once the program is done: `\r` and `ESC [ n G` move back, text
 * overwrites what was there, `ESC [ K` erases; colours and other sequences show nothing.
 */
function drawLine(raw: string): string {
  let cells: string[] = [];
  let column = 0;
  for (let i = 0; i < raw.length;) {
    const char = raw[i]!;
    if (char === "\r") {
      column = 0;
      i++;
    } else if (char === "\x1b") {
      ESCAPE.lastIndex = i;
      const match = ESCAPE.exec(raw);
      if (!match) {
        i++;
        continue;
      }
      const [whole, parameter = "", command] = match;
      if (command === "G") column = Math.max(0, (Number(parameter) || 1) - 1);
      else if (command === "K" && parameter === "2") cells = [];
      else if (command === "K" && parameter === "1") cells = cells.map((c, at) => (at <= column ? " " : c));
      else if (command === "K") cells = cells.slice(0, column);
      i += whole.length;
    } else if (char === "\b") {
      column = Math.max(0, column - 1);
      i++;
    } else {
      const code = char.codePointAt(0)!;
      const text = String.fromCodePoint(code);
      i += text.length;
      if (code < 0x20 && char !== "\t") continue;
      while (cells.length < column) cells.push(" ");
      cells[column++] = text;
    }
  }
  return cells.join("").trimEnd();
}

/**
 * What a person would read once a terminal program is done: each line as it was last drawn (a
 * progress bar redrawn in place with `\r` leaves its final state, a spinner that was erased leaves
 * nothing), without colours, trailing whitespace, or blank lines at the start and the end.
 */
export function cleanOutput(raw: string): string {
  const lines = raw.replace(/\r+\n/g, "\n").split("\n").map(drawLine);
  const first = lines.findIndex((line) => line !== "");
  if (first === -1) return "";
  const last = lines.findLastIndex((line) => line !== "");
  return lines.slice(first, last + 1).join("\n");
}
