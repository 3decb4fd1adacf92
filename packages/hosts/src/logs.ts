import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";

export const logSize = (file: string) => (existsSync(file) ? statSync(file).size : 0);

/** What a log gained since `offset` (the size it had when its process was started). */
export function readLogSince(file: string, offset: number): string {
  const size = logSize(file);
  if (size <= offset) return "";
  const buffer = Buffer.alloc(size - offset);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buffer, 0, buffer.length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString("utf8");
}

/** The last lines of a log, for an error that names the part that failed. */
export function logTail(file: string, lines = 15): string {
  const size = logSize(file);
  const text = readLogSince(file, Math.max(0, size - 64 * 1024));
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
