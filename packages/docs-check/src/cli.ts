#!/usr/bin/env node
/**
 * npm run docs:check: the docs against the code. One line per failure, then a summary; exits 1 on
 * any failure. Runs from source with tsx, no build needed.
 * With --commands [FILE | FILE:LINE …]: builds, then runs the docs' shell blocks (minutes).
 */
import { LESSON_RULE } from "./changes.js";
import { checkRepository } from "./check.js";
import { formatFailure } from "./failure.js";

const root = new URL("../../..", import.meta.url).pathname;
// `npm run docs:check | head` closes the pipe early: not an error of the check
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

if (process.argv.includes("--commands")) {
  const { runCommands } = await import("./commands-cli.js");
  process.exit(
    await runCommands(
      root,
      process.argv.slice(2).filter((arg) => arg !== "--commands"),
    ),
  );
}

let report;
try {
  report = checkRepository(root);
} catch (error) {
  const { message, cause } = error as Error;
  console.error(`docs:check: ${message}${cause instanceof Error ? `\n${cause.message}` : ""}`);
  process.exit(2);
}
const { failures, skipped, counts } = report;
for (const failure of failures) console.log(formatFailure(failure));
for (const line of skipped) console.log(line);
const checked =
  `${counts.quotes} quotes, the article's numbers and ${counts.numbers} measured numbers in ${counts.documents} files, ` +
  `${counts.tables} file tables, ${counts.recordings} recordings, ${counts.shellBlocks} shell blocks' annotations, ` +
  `${counts.translations} translations with ${counts.links} links and ${counts.cornerQuotes} 「…」 quotes`;
if (failures.length === 0) {
  console.log(`docs:check: ok (${checked})`);
} else {
  const by = (check: string) => failures.filter((f) => f.check === check).length;
  if (by("table") > 0) console.log(`rule: ${LESSON_RULE}`);
  console.log(
    `docs:check: ${failures.length} failure${failures.length === 1 ? "" : "s"} ` +
      `(quotes ${by("quote")}, tables ${by("table")}, article numbers ${by("article")}, ` +
      `recordings ${by("record")}, measured numbers ${by("measured")}, shell blocks ${by("command")}, ` +
      `translations ${by("translation")}; ` +
      `checked ${checked})`,
  );
  process.exitCode = 1;
}
