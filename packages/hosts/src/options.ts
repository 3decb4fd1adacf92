import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { MAX_API_HOSTS } from "./topology.js";
import type { UpOptions } from "./up.js";

export const USAGE = `usage: npm run hosts -- up [--api 1..${MAX_API_HOSTS}] [--workers 1|2] [--cpu <fraction>] [--delay <ms>] [--stage 08|09] [--keep]
       npm run hosts -- status
       npm run hosts -- down`;

export type Command =
  | { command: "up"; options: UpOptions; keep: boolean }
  | { command: "down" }
  | { command: "status" }
  | { command: "help" };

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
        keep: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected ${extra.map((e) => JSON.stringify(e)).join(" ")}`);
  if (command !== "up") {
    const upOnly = ["api", "workers", "cpu", "delay", "stage", "keep"].filter(
      (flag) =>
        values[flag as keyof typeof values] !== undefined && values[flag as keyof typeof values] !== false,
    );
    if (upOnly.length > 0) throw new UsageError(`--${upOnly[0]} goes with up only`);
  }
  switch (command) {
    case "up":
      return {
        command,
        keep: values.keep,
        options: {
          apiHosts: number("--api", values.api, { min: 1, max: MAX_API_HOSTS, integer: true }),
          workers: number("--workers", values.workers, { min: 1, max: 2, integer: true }),
          cpu: number("--cpu", values.cpu, { min: 0.01, max: availableParallelism(), integer: false }),
          delayMs: number("--delay", values.delay, { min: 1, max: 10_000, integer: true }),
          stage: values.stage,
        },
      };
    case "down":
    case "status":
      return { command };
    case undefined:
      throw new UsageError("say up, down or status");
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}
