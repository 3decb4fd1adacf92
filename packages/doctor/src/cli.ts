#!/usr/bin/env node
/**
 * npm run doctor [-- --json | --fingerprint]: what is installed, what each optional tool enables,
 * and how to install what is missing. Exits 1 only when Node.js itself is too old.
 */
import { parseArgs } from "node:util";
import { diagnose, exitCode, localContext } from "./doctor.js";
import { fingerprint } from "./fingerprint.js";
import { renderText } from "./text.js";

const USAGE = "usage: npm run doctor [-- --json | --fingerprint]";

let options;
try {
  options = parseArgs({
    options: {
      json: { type: "boolean", default: false },
      fingerprint: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  console.error(`doctor: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
if (options.json && options.fingerprint) {
  console.error(`doctor: --json and --fingerprint do not go together\n${USAGE}`);
  process.exit(2);
}

const report = await diagnose(localContext());
if (options.fingerprint) console.log(fingerprint(report));
else if (options.json) console.log(JSON.stringify(toJson(report), null, 2));
else console.log(renderText(report));
process.exitCode = exitCode(report);

function toJson(r: typeof report) {
  return {
    os: r.platform.os,
    osName: r.platform.name,
    ok: exitCode(r) === 0,
    fingerprint: fingerprint(r),
    tools: r.checks.map(({ fingerprint: _, ...check }) => ({ ...check, version: check.version ?? null })),
  };
}
