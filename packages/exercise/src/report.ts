import type { Build } from "./build.js";
import { type Line, type Verdict, count, failing, passes } from "./requirements.js";
import type { Step } from "./steps.js";

/** A test name can hold a whole input (a 300-character cursor): a line shows its start. */
const WIDTH = 110;
const clip = (text: string) => (text.length > WIDTH ? `${text.slice(0, WIDTH - 1)}…` : text);

/** A test's own name and the describe blocks around it: `a > b > it` → "a › b" and "it". */
const split = (name: string) => {
  const parts = name.split(" > ");
  return { around: parts.slice(0, -1).join(" › "), title: parts.at(-1) ?? name };
};

type Hint = (file: string) => string | undefined;
const pointer = (hint: Hint, file: string) => {
  const where = hint(file);
  return where ? ` → ${where}` : "";
};

/** One line per test, grouped by file and describe blocks; each ✗ says why and where the chapter explains it. */
function listing(lines: readonly Line[], hint: Hint, unloaded: Verdict["unloaded"]): string[] {
  const out: string[] = [];
  let file: string | undefined;
  let around: string | undefined;
  for (const line of [...lines].sort((a, b) => a.file.localeCompare(b.file))) {
    const { around: blocks, title } = split(line.name);
    if (line.file !== file) {
      file = line.file;
      around = undefined;
      const why = unloaded.get(file);
      out.push(why ? `${file}: ✗ ${why}` : file);
    }
    if (blocks !== around) {
      around = blocks;
      if (around) out.push(`  ${clip(around)}`);
    }
    if (line.state === "passed") out.push(`    ✓ ${clip(title)}`);
    // "skipped" always shows, however long the name
    else if (line.state === "skipped")
      out.push(`    - ${clip(title)} (skipped${line.note ? `: ${line.note}` : ""})`);
    else if (line.state === "not run") out.push(`    ✗ ${clip(title)} (not run${pointer(hint, line.file)})`);
    else
      out.push(`    ✗ ${clip(title)}`, `        ${clip(line.error ?? "failed")}${pointer(hint, line.file)}`);
  }
  return out;
}

const tally = (lines: readonly Line[]) => {
  const failed = count(lines, "failed");
  const notRun = count(lines, "not run");
  const skipped = count(lines, "skipped");
  return [
    `${count(lines, "passed")}/${lines.length} pass`,
    ...(failed ? [`${failed} fail`] : []),
    ...(notRun ? [`${notRun} did not run`] : []),
    ...(skipped ? [`${skipped} skipped`] : []),
  ].join(", ");
};

/** What the stage before already did, in one line; what of it broke, file by file or test by test. */
function before(step: Step, shared: readonly Line[], hint: Hint, unloaded: Verdict["unloaded"]): string[] {
  const { stage, before } = step;
  if (shared.length === 0)
    return [
      `  stage ${stage.number}'s tests share none with stage ${before.number}'s: each one below is this step's`,
    ];
  const broken = failing(shared);
  const out = [`${broken.length ? "✗" : "✓"} what stage ${before.number} already did: ${tally(shared)}`];
  for (const [file, why] of unloaded) {
    const lost = broken.filter((line) => line.file === file && line.state === "not run").length;
    if (lost)
      out.push(`    ✗ ${file} cannot load (${why}): ${lost} of these did not run${pointer(hint, file)}`);
  }
  return [
    ...out,
    ...listing(
      broken.filter((line) => !(line.state === "not run" && unloaded.has(line.file))),
      hint,
      new Map(),
    ),
  ];
}

export interface ReportInput {
  step: Step;
  build: Build;
  verdict?: Verdict;
  /** The test files checked, when not all of them were. */
  only?: readonly string[];
  hint: Hint;
}

/** The check's report in the learner's terms: one line per requirement of the step, ✓ or ✗. */
export function report({ step, build, verdict, only, hint }: ReportInput): string {
  const { stage } = step;
  if (!build.ok)
    return [
      "✗ it builds (tsc -p tsconfig.build.json):",
      ...build.errors.map((error) => `    ${error}`),
      "",
      "✗ not yet: no test ran; fix what the compiler says, then check again.",
    ].join("\n");
  const out = ["✓ it builds (tsc -p tsconfig.build.json)"];
  if (!verdict) return out.join("\n");
  const { requirements, shared, other, unloaded, skipLines } = verdict;
  out.push(...before(step, shared, hint, unloaded));
  out.push(
    "",
    `what stage ${stage.number} adds: ${tally(requirements)}`,
    ...listing(requirements, hint, unloaded),
  );
  if (other.length) out.push("", "also failing:", ...other.map((line) => `  ✗ ${line}`));
  if (skipLines.length) out.push("", ...skipLines);
  out.push("");
  if (only) out.push(`only ${only.join(", ")} checked: without --only, every test file of the step is.`);
  const mine = failing(requirements).length;
  const theirs = failing(shared).length;
  if (passes(verdict)) {
    const skipped = count(requirements, "skipped");
    out.push(
      `✓ done: every test of stage ${stage.number} that ran here passes` +
        (skipped ? ` (${skipped} of the step's skipped: the lines marked - say which)` : ""),
    );
  } else if (mine + theirs + other.length === 0) {
    out.push(
      "✗ not checked: every test of this step was skipped here (the skipped: lines say what they need)",
    );
  } else {
    const parts = [
      ...(mine ? [`${mine} of the step's ${requirements.length} tests fail or did not run`] : []),
      ...(theirs ? [`${theirs} of the ${shared.length} that stage ${step.before.number} passed`] : []),
      ...(other.length ? [`${other.length} other failure${other.length === 1 ? "" : "s"}`] : []),
    ];
    out.push(`✗ not yet: ${parts.join(", ")}; each ✗ points to the chapter.`);
  }
  return out.join("\n");
}
