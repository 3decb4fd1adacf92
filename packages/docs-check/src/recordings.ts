import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Where recordings live, from the repository root: `docs/recordings/NAME.txt`. */
export const RECORDINGS_DIR = "docs/recordings";

export const recordingPath = (name: string) => `${RECORDINGS_DIR}/${name}.txt`;

/** What `npm run docs:record` wrote for one recipe: how, when and where, and what was printed. */
export interface Recording {
  name: string;
  about: string;
  /** ISO 8601, UTC. */
  date: string;
  /** e.g. `2 cores, AMD EPYC, Linux 6.1.0, Node v20.20.2` */
  machine: string;
  /** `git rev-parse --short HEAD` when it was recorded. */
  revision: string;
  /** Each step as the body shows it, e.g. `stages/04-index$ npm run explain`. */
  steps: string[];
  /** The terminal session: each step's prompt line, then what it printed. */
  output: string;
}

/** The first 16 hex digits of the output's SHA-256: a hand edit of the output no longer matches it. */
export const digest = (output: string) => createHash("sha256").update(output).digest("hex").slice(0, 16);

/** The file: `# key: value` header lines, a blank line, the output. */
export function formatRecording(r: Recording): string {
  const header = [
    `# recording: ${r.name}`,
    `# about: ${r.about}`,
    `# command: npm run docs:record -- ${r.name}`,
    `# date: ${r.date}`,
    `# machine: ${r.machine}`,
    `# revision: ${r.revision}`,
    "# environment: DATA is a temporary folder, PORT a free port, both new for this recording",
    ...r.steps.map((step) => `# step: ${step}`),
    `# sha256: ${digest(r.output)}`,
  ];
  return `${header.join("\n")}\n\n${r.output}\n`;
}

/** A recording file read back; `digestMatches` is false when its output was edited by hand. */
export function parseRecording(name: string, text: string): Recording & { digestMatches: boolean } {
  const blank = text.indexOf("\n\n");
  const head = blank === -1 ? text : text.slice(0, blank);
  const output = blank === -1 ? "" : text.slice(blank + 2).replace(/\n$/, "");
  const fields = new Map<string, string[]>();
  for (const line of head.split("\n")) {
    const [, key, value] = /^# ([\w-]+): (.*)$/.exec(line) ?? [];
    if (key !== undefined) fields.set(key, [...(fields.get(key) ?? []), value!]);
  }
  const field = (key: string) => fields.get(key)?.[0] ?? "";
  return {
    name,
    about: field("about"),
    date: field("date"),
    machine: field("machine"),
    revision: field("revision"),
    steps: fields.get("step") ?? [],
    output,
    digestMatches: field("sha256") === digest(output),
  };
}

/** Every recording in the repository, by name. */
export function readRecordings(root: string): Map<string, Recording & { digestMatches: boolean }> {
  const dir = join(root, RECORDINGS_DIR);
  const found = new Map<string, Recording & { digestMatches: boolean }>();
  if (!existsSync(dir)) return found;
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
    const name = file.slice(0, -".txt".length);
    found.set(name, parseRecording(name, readFileSync(join(dir, file), "utf8")));
  }
  return found;
}
