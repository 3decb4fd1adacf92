import { dirname } from "node:path";
import { type Ran, pathDirs, run, which } from "./probe.js";

export type Os = "debian" | "macos" | "other";

/** One way to install a tool: for one OS, or for any. */
export interface Install {
  os: Os | "any";
  command: string;
  /** What to know before running it, when there is something. */
  note?: string;
}

/** What doctor found out about one tool. */
export interface Check {
  name: string;
  /** Whether what it enables will run here (the tests and the tour detect it the same way). */
  found: boolean;
  /** The installed version, also when it is not usable (gunicorn without Flask). */
  version?: string;
  /** Where it was found: a path, or the environment variable that stands in for it. */
  source?: string;
  enables: string;
  install: Install[];
  /** Anything else worth a line: which server the tests use, a tool installed off PATH… */
  notes: string[];
  /** Only Node.js: doctor fails without it. */
  required?: boolean;
  /** Shown for information (Go): nothing in the project skips without it. */
  info?: boolean;
  /** For an `info` check: listed under "to install" when one of these is missing too. */
  installWith?: string[];
  /** Its part of the fingerprint (`name=version`), when it has one. */
  fingerprint?: Record<string, string>;
}

/** What the checks look at; tests give their own. */
export interface Context {
  env: NodeJS.ProcessEnv;
  /** Python interpreters to try for Flask, in the tour's order. */
  pythons: string[];
  /** Where stage 08's browser test launches Chromium: one absolute path, not a PATH lookup. */
  chromium: string;
  /** Folders a tool may be installed in without being on PATH (/usr/sbin…): only for a hint. */
  elsewhere: string[];
  /** `process.version` */
  nodeVersion: string;
  /** The root package.json's `engines.node`. */
  nodeRange: string;
}

export interface Program {
  path?: string;
  ran?: Ran;
  version?: string;
  /** A note when the program is installed in a folder that is not on PATH. */
  offPath?: string;
}

/** Finds `name` on PATH (as the tests' spawn does), runs it with `args` and reads its version. */
export async function probeProgram(
  ctx: Context,
  name: string,
  args: string[],
  version: RegExp,
): Promise<Program> {
  const path = which(name, pathDirs(ctx.env));
  if (!path) {
    const elsewhere = which(name, ctx.elsewhere);
    if (!elsewhere) return {};
    const dir = dirname(elsewhere);
    return { offPath: `${name} is at ${elsewhere}, but ${dir} is not on PATH: export PATH="$PATH:${dir}"` };
  }
  const ran = await run(path, args, ctx.env);
  return { path, ran, version: version.exec(ran.output)?.[1] ?? (ran.ran ? "unknown" : undefined) };
}

/** The fingerprint's value for a program: its version, or `-` when it is not installed. */
export const printed = (program: Program) => program.version ?? "-";
