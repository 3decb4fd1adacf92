import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { MAX_API_HOSTS } from "./topology.js";
import { DRILL_NAMES } from "./drills.js";
import type { ScaleOptions } from "./scale.js";
import type { UpOptions } from "./up.js";

export const USAGE = `usage: npm run hosts -- up [--api 1..${MAX_API_HOSTS}] [--workers 1|2] [--cpu <fraction>] [--delay <ms>] [--stage 08|09] [--keep]
       npm run hosts -- status
       npm run hosts -- down
       npm run hosts -- drill <${DRILL_NAMES.join("|")}|all> [--keep] [--docs]
       npm run hosts -- scale [--cpu <fraction>] [--duration <s>] [--rounds <n>] [--connections <n>] [--docs]
--docs writes the results into chapter 09 (both languages) and docs/benchmarks/: drill all, or scale`;

export type Command =
  | { command: "up"; options: UpOptions; keep: boolean }
  | { command: "drill"; drills: string[]; keep: boolean; docs: boolean }
  | { command: "scale"; options: ScaleOptions; docs: boolean }
  | { command: "down" }
  | { command: "status" }
  | { command: "help" };

/** The flags each command takes. */
const FLAGS: Record<string, string[]> = {
  up: ["api", "workers", "cpu", "delay", "stage", "keep"],
  drill: ["keep", "docs"],
  scale: ["cpu", "duration", "rounds", "connections", "docs"],
  down: [],
  status: [],
};

/** A bad command line: the message says what was wrong, and the usage follows it. */
export class UsageError extends Error {
  override name = "UsageError";
}

const number = (
  flag: string,
  raw: string | undefined,
  { min, max, integer }: { min: number; max: number; integer: boolean },
) => {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (
    raw.trim() === "" ||
    !Number.isFinite(value) ||
    (integer && !Number.isInteger(value)) ||
    value < min ||
    value > max
  ) {
    throw new UsageError(
      `${flag} ${JSON.stringify(raw)}: expected ${integer ? "a whole number" : "a number"} from ${min} to ${max}`,
    );
  }
  return value;
};

export function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        api: { type: "string" },
        workers: { type: "string" },
        cpu: { type: "string" },
        delay: { type: "string" },
        stage: { type: "string" },
        duration: { type: "string" },
        rounds: { type: "string" },
        connections: { type: "string" },
        keep: { type: "boolean", default: false },
        docs: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const [command, ...rest] = positionals;
  const extra = command === "drill" ? rest.slice(1) : rest;
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.map((e) => JSON.stringify(e)).join(" ")}`);
  const allowed = command === undefined ? undefined : FLAGS[command];
  if (allowed) {
    const given = Object.keys(FLAGS)
      .flatMap((c) => FLAGS[c]!)
      .filter(
        (flag) =>
          values[flag as keyof typeof values] !== undefined && values[flag as keyof typeof values] !== false,
      );
    const wrong = given.find((flag) => !allowed.includes(flag));
    if (wrong) {
      const owners = Object.keys(FLAGS).filter((c) => FLAGS[c]!.includes(wrong));
      throw new UsageError(`--${wrong} goes with ${owners.join(" or ")} only`);
    }
  }
  const cpu = number("--cpu", values.cpu, { min: 0.01, max: availableParallelism(), integer: false });
  switch (command) {
    case "up":
      return {
        command,
        keep: values.keep,
        options: {
          apiHosts: number("--api", values.api, { min: 1, max: MAX_API_HOSTS, integer: true }),
          workers: number("--workers", values.workers, { min: 1, max: 2, integer: true }),
          cpu,
          delayMs: number("--delay", values.delay, { min: 1, max: 10_000, integer: true }),
          stage: values.stage,
        },
      };
    case "drill": {
      const [name] = rest;
      if (name === undefined) throw new UsageError(`say which drill: ${DRILL_NAMES.join(", ")} or all`);
      if (name !== "all" && !DRILL_NAMES.includes(name))
        throw new UsageError(
          `no drill named ${JSON.stringify(name)} (drills: ${DRILL_NAMES.join(", ")}, or all)`,
        );
      // the chapter's table has a row for every drill: one drill's run would drop the others
      if (values.docs && name !== "all")
        throw new UsageError("--docs writes the chapter's table of every drill: say drill all --docs");
      return {
        command,
        drills: name === "all" ? [...DRILL_NAMES] : [name],
        keep: values.keep,
        docs: values.docs,
      };
    }
    case "scale":
      return {
        command,
        docs: values.docs,
        options: {
          cpu,
          durationSec: number("--duration", values.duration, { min: 1, max: 600, integer: true }),
          rounds: number("--rounds", values.rounds, { min: 1, max: 20, integer: true }),
          connections: number("--connections", values.connections, { min: 1, max: 1_000, integer: true }),
        },
      };
    case "down":
    case "status":
      return { command };
    case undefined:
      throw new UsageError("say up, down, status, drill or scale");
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}
