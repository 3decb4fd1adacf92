#!/usr/bin/env node
/**
 * npm run hosts -- up|down|status|drill|scale: the last stage on several hosts of this machine
 * (Linux, root), its failure drills and how it scales.
 */
import { relative } from "node:path";
import { writeDrillsDocs, writeScaleDocs } from "./chapter.js";
import { renderDrills } from "./drill-table.js";
import { DRILL_RESULTS, runDrills } from "./drills-run.js";
import { down } from "./down.js";
import { parseCommand, USAGE, UsageError } from "./options.js";
import { measureScale, renderScale, SCALE_RESULTS, type ScaleOptions } from "./scale.js";
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
  case "drill":
    process.exitCode = await drill(command.drills, command.keep, command.docs);
    break;
  case "scale":
    process.exitCode = await scale(command.options, command.docs);
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

async function drill(drills: string[], keep: boolean, docs: boolean): Promise<number> {
  const interrupt = new AbortController();
  process.once("SIGINT", () => {
    say("interrupted: stopping after this step");
    interrupt.abort();
  });
  try {
    const results = await runDrills({ names: drills, keep, progress: say, signal: interrupt.signal });
    console.log(`\n${renderDrills(results.rows)}\n\nresults: ${DRILL_RESULTS}`);
    const lost = results.rows.filter((r) => r.writesLost > 0 || r.jobsLost > 0);
    if (docs && lost.length === 0) wrote(writeDrillsDocs(results));
    else if (docs)
      console.error(
        "hosts: --docs: the chapter keeps its table; a drill that lost something is a bug to fix first",
      );
    for (const r of lost)
      console.error(`hosts: ${r.drill} lost ${r.writesLost} acknowledged writes and ${r.jobsLost} jobs`);
    return lost.length > 0 ? 1 : 0;
  } catch (error) {
    console.error(`hosts: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function scale(options: ScaleOptions, docs: boolean): Promise<number> {
  try {
    const results = await measureScale({ ...options, progress: say });
    console.log(`\n${renderScale(results)}\n\nresults: ${SCALE_RESULTS}`);
    if (docs) wrote(writeScaleDocs(results));
    return 0;
  } catch (error) {
    console.error(`hosts: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function wrote(files: string[]) {
  for (const file of files) say(`wrote ${relative(process.cwd(), file)}`);
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
