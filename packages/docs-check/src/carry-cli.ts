#!/usr/bin/env node
/**
 * npm run carry -- <path-in-a-stage>: applies a fix in one stage's copy of a file to every later
 * stage that carries the file unchanged (its copy is the committed version), and says which copies
 * differ on purpose. Exits 2 on a path that is not a file inside a stage.
 */
import { isAbsolute, relative, resolve } from "node:path";
import { carry, CarryError } from "./carry.js";

const USAGE =
  "usage: npm run carry -- <path of a file inside a stage, e.g. stages/04-index/src/mongo-store.ts>";
const root = new URL("../../..", import.meta.url).pathname;

const args = process.argv.slice(2);
if (args.length !== 1 || args[0] === "--help" || args[0] === "-h") {
  console.error(USAGE);
  process.exit(args[0] === "--help" || args[0] === "-h" ? 0 : 2);
}
// npm runs scripts from the root; INIT_CWD is where the command was typed
const absolute = resolve(process.env["INIT_CWD"] ?? process.cwd(), args[0]!);
const path = relative(root, absolute);

let report;
try {
  if (path.startsWith("..") || isAbsolute(path)) throw new CarryError(`${args[0]} is outside the repository`);
  report = carry(root, path);
} catch (error) {
  if (!(error instanceof CarryError)) throw error;
  console.error(`carry: ${error.message}\n${USAGE}`);
  process.exit(2);
}

if (!report.changed) {
  console.log(`carry: ${report.source} has no uncommitted change, so there is nothing to carry`);
} else if (report.copies.length === 0) {
  console.log(`carry: ${report.source} is in the last stage: no later stage to carry it to`);
} else {
  console.log(`carry: ${report.source} → later stages`);
  for (const copy of report.copies) {
    const line = `  ${copy.outcome.padEnd(18)} ${copy.path}`;
    if (copy.outcome !== "left alone") console.log(line);
    else if (copy.note) console.log(`${line}: differs on purpose; ${copy.note}`);
    else
      console.log(
        `${line}: differs, and its chapter's file table does not say why (docs:check fails until it does)`,
      );
  }
}
