#!/usr/bin/env node
/**
 * npm run docs:record [-- NAME…]: runs recipes (every one when none is named) and writes what they
 * print to docs/recordings/NAME.txt, then the record markers of the docs. `--list` lists the recipes,
 * `--fill` rewrites the markers from the recordings without running anything.
 */
import { record, fillDocuments, RecordError, type RecordEvent } from "./record.js";
import { RECIPES, recipeNamed } from "./recipes.js";
import { recordingPath } from "./recordings.js";
import { cleanOutput } from "./terminal.js";

const USAGE = `usage: npm run docs:record [-- NAME…]    record every recipe, or the ones named
       npm run docs:record -- --list     the recipes
       npm run docs:record -- --fill     rewrite the docs' record markers from the recordings, running nothing`;
const root = new URL("../../..", import.meta.url).pathname;
const formatSeconds = (s: number) =>
  s < 90 ? `${Math.round(s)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
  process.exit(0);
}
if (args.includes("--list")) {
  for (const recipe of RECIPES) {
    const needs = recipe.needs ? `; needs ${recipe.needs.join(", ")}` : "";
    console.log(`${recipe.name.padEnd(20)} ~${recipe.minutes} min${needs}\n  ${recipe.about}`);
  }
  process.exit(0);
}
if (args.includes("--fill")) {
  const changed = fillDocuments(root);
  console.log(
    changed.length > 0
      ? `docs:record: rewrote ${changed.join(", ")}`
      : "docs:record: every marker is up to date",
  );
  process.exit(0);
}
const unknown = args.filter((name) => !recipeNamed(name));
if (unknown.length > 0) {
  console.error(
    `docs:record: no recipe named ${unknown.join(", ")} (npm run docs:record -- --list)\n${USAGE}`,
  );
  process.exit(2);
}
const chosen = args.length > 0 ? args.map((name) => recipeNamed(name)!) : RECIPES;

/** One line on stderr that says which recipe, which step and how long, redrawn on a terminal. */
function progressLine(name: string) {
  const tty = process.stderr.isTTY;
  let step = "";
  let started = Date.now();
  let last = "";
  let lastLogged = 0;
  const elapsed = () => formatSeconds((Date.now() - started) / 1000);
  const draw = () => {
    const width = (process.stderr.columns || 100) - 1;
    process.stderr.write(
      `\r\x1b[2K${`docs:record ${name} ${step} · ${elapsed()}${last ? ` · ${last}` : ""}`.slice(0, width)}`,
    );
  };
  const timer = setInterval(() => {
    if (tty) draw();
    else if (Date.now() - lastLogged >= 30_000) {
      lastLogged = Date.now();
      console.error(`  … ${elapsed()}`);
    }
  }, 1000);
  const endStep = () => {
    if (!step) return;
    if (tty) process.stderr.write("\r\x1b[2K");
    console.error(`docs:record ${name} ${step} · done in ${elapsed()}`);
  };
  return {
    event(event: RecordEvent) {
      if (event.kind === "build") {
        if (event.workspaces.length > 0)
          console.error(`docs:record ${name}: building ${event.workspaces.join(", ")}`);
      } else if (event.kind === "step") {
        endStep();
        step = `[${event.index + 1}/${event.of}] ${event.line}`;
        started = lastLogged = Date.now();
        last = "";
        if (tty) draw();
        else console.error(`docs:record ${name} ${step}`);
      } else {
        last = cleanOutput(event.text).split("\n").at(-1) || last;
      }
    },
    stop(ok: boolean) {
      clearInterval(timer);
      if (ok) endStep();
      else if (tty) process.stderr.write("\r\x1b[2K");
    },
  };
}

let failed = 0;
for (const recipe of chosen) {
  const progress = progressLine(recipe.name);
  try {
    await record(root, recipe, { progress: (event) => progress.event(event) });
    progress.stop(true);
    console.log(`docs:record: wrote ${recordingPath(recipe.name)}`);
  } catch (error) {
    progress.stop(false);
    if (!(error instanceof RecordError)) throw error;
    console.error(`docs:record: ${error.message}`);
    failed++;
  }
}
const changed = fillDocuments(root);
if (changed.length > 0) console.log(`docs:record: rewrote the record markers of ${changed.join(", ")}`);
if (failed > 0) {
  console.error(
    `docs:record: ${failed} of ${chosen.length} recipes failed; their old recordings are left as they were`,
  );
  process.exitCode = 1;
}
