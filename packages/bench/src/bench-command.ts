import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { prettyJson } from "./json.js";
import { fillMarkersIn } from "./markers.js";
import { DEFAULTS } from "./published.js";
import { shownPath } from "./shown-path.js";
import { type Skipped, packageDir, repoRoot } from "./targets.js";
import { type LoadTool, pickTool } from "./tools/index.js";
import { wrkVersion } from "./tools/wrk.js";

/** The settings every measurement beside the tour takes. */
export interface Settings {
  durationSec: number;
  warmupSec: number;
  connections: number;
  rounds: number;
}

/** A whole-number option of one command (`--wait-ms 50`). */
export interface OwnOption {
  flag: string;
  placeholder: string;
  fallback: number;
  min: number;
}

export interface BenchCommand<R extends { date: string; failures: Skipped[] }, K extends string> {
  /** In the usage, the log and the files: results/NAME-latest.json, docs/benchmarks/NAME.json. */
  name: string;
  own: Record<K, OwnOption>;
  /** Where the command's defaults differ from the tour's (src/published.ts). */
  defaults?: Partial<Settings>;
  /** wrk when installed, unless --tool says otherwise: the command needs a steady rate. */
  wrkFirst?: boolean;
  /** The one tool the command measures with: it takes no --tool. */
  tool?: LoadTool;
  /** How the failures list names what failed (its id by default). */
  failed?: (id: string) => string;
  /** What --docs writes, for the line that says the docs were left alone. */
  docsNote: string;
  headline: (settings: Settings & Record<K, number>, tool: LoadTool) => string;
  measure: (
    settings: Settings & Record<K, number>,
    tool: LoadTool,
    log: (line: string) => void,
  ) => Promise<R>;
  table: (results: R) => string;
  writeDocs: (results: R, docs: string) => string[];
}

/**
 * The command line of the measurements beside the tour (bench:framework, bench:blocking,
 * bench:paging, bench:stampede): the shared options, the load tool, the results files, the table,
 * the docs. A measurement that throws ends the command with its message and exit code 1.
 *   NAME [--tool wrk|autocannon] [--duration SEC] [--warmup SEC] [--connections N] [--rounds N]
 *        [its own options] [--results-dir DIR] [--docs] [--docs-dir DIR]
 *   NAME --docs-from NAME.json [--docs-dir DIR]
 */
export async function runBenchCommand<R extends { date: string; failures: Skipped[] }, K extends string>(
  command: BenchCommand<R, K>,
  argv = process.argv.slice(2),
): Promise<never> {
  const { name } = command;
  const own = Object.entries<OwnOption>(command.own);
  const ownUsage = own.map(([, o]) => `[--${o.flag} ${o.placeholder}]`).join(" ");
  const toolUsage = command.tool ? "" : "[--tool wrk|autocannon] ";
  const usage =
    `usage: ${name} ${toolUsage}[--duration SEC] [--warmup SEC] [--connections N] [--rounds N]\n` +
    `       ${" ".repeat(name.length)} ${ownUsage ? `${ownUsage} ` : ""}[--results-dir DIR] [--docs] [--docs-dir DIR]\n` +
    `       ${name} --docs-from ${name.toUpperCase()}.json [--docs-dir DIR]`;
  const fail = (message: string): never => {
    console.error(`${name}: ${message}\n${usage}`);
    process.exit(2);
  };
  const whole = (flag: string, value: string | undefined, fallback: number, min = 1) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      fail(`--${flag} must be a whole number of at least ${min}, not ${value}`);
    return n;
  };

  let values: Record<string, string | boolean | undefined> = {};
  try {
    values = parseArgs({
      args: argv,
      options: {
        ...(command.tool ? {} : { tool: { type: "string" as const } }),
        duration: { type: "string" },
        warmup: { type: "string" },
        connections: { type: "string" },
        rounds: { type: "string" },
        ...Object.fromEntries(own.map(([, o]) => [o.flag, { type: "string" as const }])),
        "results-dir": { type: "string" },
        docs: { type: "boolean", default: false },
        "docs-dir": { type: "string" },
        "docs-from": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  const text = (key: string) => values[key] as string | undefined;
  if (values["help"]) {
    console.log(usage);
    process.exit(0);
  }

  const docsDir = resolve(text("docs-dir") ?? join(repoRoot, "docs"));
  // Re-render the numbers in the docs from a results file (after a change to a page's text).
  const from = text("docs-from");
  if (from) {
    const results = JSON.parse(readFileSync(from, "utf8")) as R;
    for (const written of command.writeDocs(results, docsDir)) console.log(`wrote ${shownPath(written)}`);
    process.exit(0);
  }

  let tool = command.tool;
  if (!tool) {
    const asked = text("tool") ?? (command.wrkFirst && wrkVersion() ? "wrk" : "autocannon");
    if (asked !== "wrk" && asked !== "autocannon") fail(`--tool must be wrk or autocannon, not ${asked}`);
    try {
      tool = pickTool(asked as "wrk" | "autocannon").tool;
    } catch (error) {
      fail((error as Error).message);
    }
  }
  const defaults = { ...DEFAULTS, ...command.defaults };
  const settings = {
    durationSec: whole("duration", text("duration"), defaults.durationSec),
    warmupSec: whole("warmup", text("warmup"), defaults.warmupSec, 0),
    connections: whole("connections", text("connections"), defaults.connections),
    rounds: whole("rounds", text("rounds"), defaults.rounds),
    ...Object.fromEntries(own.map(([key, o]) => [key, whole(o.flag, text(o.flag), o.fallback, o.min)])),
  } as Settings & Record<K, number>;

  const toTerminal = process.stderr.isTTY;
  const log = (line: string) => process.stderr.write(toTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
  log(command.headline(settings, tool!));
  let results: R;
  try {
    results = await command.measure(settings, tool!, log);
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    process.exit(1);
  }

  const resultsDir = text("results-dir") ?? join(packageDir, "results");
  mkdirSync(resultsDir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + "\n";
  const file = join(resultsDir, `${name}-${results.date.replace(/[:.]/g, "-")}.json`);
  const latest = join(resultsDir, `${name}-latest.json`);
  writeFileSync(file, json);
  writeFileSync(latest, json);

  console.log(`\n${command.table(results)}\n`);
  if (results.failures.length > 0) {
    console.error(`${results.failures.length} failure(s):`);
    for (const f of results.failures) console.error(`  ${command.failed?.(f.id) ?? f.id}: ${f.reason}`);
  }
  console.log(`results: ${shownPath(file)} (and ${shownPath(latest)})`);
  if (values["docs"]) {
    for (const written of command.writeDocs(results, docsDir)) console.log(`wrote ${shownPath(written)}`);
  } else {
    console.log(`${shownPath(docsDir)}/ left alone (--docs writes ${command.docsNote})`);
  }
  process.exit(results.failures.length > 0 ? 1 : 0);
}

/** Writes `benchmarks/NAME.json` in `docs` and fills the markers of its pages; returns what it wrote. */
export function writeResultsDocs(
  docs: string,
  name: string,
  results: unknown,
  fill: (text: string) => string,
) {
  mkdirSync(join(docs, "benchmarks"), { recursive: true });
  const json = join(docs, "benchmarks", `${name}.json`);
  writeFileSync(json, prettyJson(results));
  return [json, ...fillMarkersIn(docs, fill)];
}

/** A generated table as a page shows it: the table, its notes as a list, then how it was measured. */
export const tableBlock = (markdown: string, notes: string[], measured: string, json: string) =>
  `\n${markdown}\n\n${notes.map((note) => `- ${note}\n`).join("")}\n<sub>${measured}; \`docs/benchmarks/${json}\`.</sub>\n`;
