#!/usr/bin/env node
/**
 * npm run hosts -- up|down|status: the last stage on several hosts of this machine (Linux, root).
 */
import { down } from "./down.js";
import { parseCommand, USAGE, UsageError } from "./options.js";
import { renderStatus, status } from "./status.js";
import { Refused, up } from "./up.js";
import { Interrupted } from "./wait.js";

let command;
try {
  command = parseCommand(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`hosts: ${error.message}\n${USAGE}`);
  process.exit(2);
}

const began = Date.now();
const say = (line: string) =>
  console.log(`[${((Date.now() - began) / 1000).toFixed(1).padStart(5)} s] ${line}`);

switch (command.command) {
  case "help":
    console.log(USAGE);
    break;
  case "status":
    console.log(renderStatus(await status()));
    break;
  case "down":
    process.exitCode = await tearDown();
    break;
  case "up": {
    // Ctrl-C while it starts: stop waiting, and take down what was made
    const interrupt = new AbortController();
    process.once("SIGINT", () => {
      say("interrupted: taking down what was made");
      interrupt.abort();
    });
    try {
      await up({ ...command.options, signal: interrupt.signal, progress: say });
      say("every part is ready");
      console.log(`\n${renderStatus(await status())}`);
    } catch (error) {
      if (error instanceof Refused) {
        console.error(`hosts: ${error.message}`);
        process.exit(1);
      }
      console.error(
        error instanceof Interrupted || error instanceof Error ? `hosts: ${error.message}` : error,
      );
      if (command.keep && !interrupt.signal.aborted) {
        console.error(
          "hosts: --keep: left as it is for a look (npm run hosts -- status); npm run hosts -- down removes it",
        );
      } else {
        await tearDown();
      }
      process.exitCode = interrupt.signal.aborted ? 130 : 1;
    }
    break;
  }
}

async function tearDown(): Promise<number> {
  const report = await down({ progress: say });
  if (report.problems.length > 0) {
    for (const problem of report.problems) console.error(`hosts: left behind: ${problem}`);
    return 1;
  }
  say(
    report.removed.length > 0
      ? `removed ${report.removed.length} hosts, the bridge and their cgroups`
      : "nothing was up",
  );
  return 0;
}
