import { readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import type { Failure } from "./failure.js";
import { RECORDINGS_DIR, recordingPath, type Recording } from "./recordings.js";
import { stepLine, type Recipe } from "./recipes.js";

/** `<!-- record:NAME -->` … `<!-- /record:NAME -->`, each on a line of its own. */
const MARKER = /^[ \t]*<!-- (\/?)record:([\w.-]+) -->[ \t]*$/;

/** A pair of record markers in a Markdown file: lines are 1-based, `content` is what lies between. */
export interface RecordMarker {
  name: string;
  open: number;
  close: number;
  content: string;
}

/** The record markers of a file, and the markers without a partner. */
export function recordMarkers(text: string): {
  markers: RecordMarker[];
  unpaired: { line: number; text: string }[];
} {
  const lines = text.split("\n");
  const markers: RecordMarker[] = [];
  const unpaired: { line: number; text: string }[] = [];
  let open: { name: string; line: number } | undefined;
  lines.forEach((line, i) => {
    const [, slash, name] = MARKER.exec(line) ?? [];
    if (name === undefined) return;
    if (!slash) {
      if (open) unpaired.push({ line: open.line, text: `<!-- record:${open.name} -->` });
      open = { name, line: i + 1 };
    } else if (open?.name === name) {
      const content = lines.slice(open.line, i).join("\n");
      markers.push({ name, open: open.line, close: i + 1, content });
      open = undefined;
    } else unpaired.push({ line: i + 1, text: line.trim() });
  });
  if (open) unpaired.push({ line: open.line, text: `<!-- record:${open.name} -->` });
  return { markers, unpaired };
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * What goes between the markers: the recording's output as a `text` block, and under it a line that
 * says what produced it, when and where, linking to the file (relative to `doc`).
 */
export function renderRecordBlock(recording: Recording, doc: string): string {
  const longest = Math.max(0, ...[...recording.output.matchAll(/`+/g)].map(([ticks]) => ticks.length));
  const fence = "`".repeat(Math.max(3, longest + 1));
  const link = posix.relative(dirname(doc), recordingPath(recording.name));
  const line =
    `<sub>Recorded by \`npm run docs:record -- ${recording.name}\` on ${utc(recording.date)}: ` +
    `${recording.machine}, revision ${recording.revision} ([the recording](${link})).</sub>`;
  return [`${fence}text`, recording.output, fence, line].join("\n");
}

/** `text` with the content of every record marker naming one of `recordings` rendered afresh. */
export function fillRecordMarkers(text: string, doc: string, recordings: Map<string, Recording>): string {
  const lines = text.split("\n");
  const { markers } = recordMarkers(text);
  for (const marker of [...markers].reverse()) {
    const recording = recordings.get(marker.name);
    if (!recording) continue;
    lines.splice(marker.open, marker.close - marker.open - 1, renderRecordBlock(recording, doc));
  }
  return lines.join("\n");
}

/**
 * Each record marker names a recording that exists and holds exactly what `npm run docs:record`
 * renders from it (a recording edited by hand is `checkRecordings`' to report).
 */
export function checkRecordMarkers(
  root: string,
  docs: string[],
  recordings: Map<string, Recording & { digestMatches: boolean }>,
): { failures: Failure[]; markers: number } {
  const failures: Failure[] = [];
  let count = 0;
  for (const doc of docs) {
    const fail = (line: number, message: string) =>
      failures.push({ check: "record", file: doc, line, message });
    const { markers, unpaired } = recordMarkers(readFileSync(join(root, doc), "utf8"));
    for (const { line, text } of unpaired)
      fail(
        line,
        `${text} has no partner: a recording sits between <!-- record:NAME --> and <!-- /record:NAME -->`,
      );
    for (const marker of markers) {
      count++;
      const recording = recordings.get(marker.name);
      if (!recording) {
        fail(
          marker.open,
          `record:${marker.name}: ${recordingPath(marker.name)} does not exist; run npm run docs:record -- ${marker.name}`,
        );
      } else if (marker.content !== renderRecordBlock(recording, doc)) {
        const expected = renderRecordBlock(recording, doc).split("\n");
        const actual = marker.content.split("\n");
        const at = expected.findIndex((line, i) => actual[i] !== line);
        const where = at === -1 ? expected.length : at;
        fail(
          marker.open + 1 + where,
          `record:${marker.name}: differs from ${recordingPath(marker.name)} (this line should read ${JSON.stringify(expected[where] ?? "")}); ` +
            `recorded output is never edited by hand: npm run docs:record -- --fill rewrites it, npm run docs:record -- ${marker.name} records it again`,
        );
      }
    }
  }
  return { failures, markers: count };
}

/**
 * Each recording was made by the recipe of its name as the recipe is now: a recipe whose steps
 * changed, or that is gone, leaves a recording that no longer says how it was made.
 */
export function checkRecordings(
  recordings: Map<string, Recording & { digestMatches: boolean }>,
  recipes: Pick<Recipe, "name" | "steps">[],
): Failure[] {
  const failures: Failure[] = [];
  for (const [name, recording] of recordings) {
    const fail = (message: string) =>
      failures.push({ check: "record", file: `${RECORDINGS_DIR}/${name}.txt`, line: 1, message });
    const recipe = recipes.find((r) => r.name === name);
    if (!recipe) fail(`no recipe named ${name} in packages/docs-check/src/recipes.ts records it`);
    else if (recipe.steps.map(stepLine).join("\n") !== recording.steps.join("\n"))
      fail(`recorded with other steps than recipe ${name} has now: run npm run docs:record -- ${name}`);
    if (!recording.digestMatches)
      fail(`edited by hand: its output no longer matches its sha256; run npm run docs:record -- ${name}`);
  }
  return failures;
}
