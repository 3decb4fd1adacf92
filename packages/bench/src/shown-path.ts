import { relative } from "node:path";

/** A path as a person in this folder would type it: relative when it is below, else as it is. */
export function shownPath(path: string) {
  const fromHere = relative(process.cwd(), path);
  return fromHere.startsWith("..") ? path : fromHere || ".";
}
