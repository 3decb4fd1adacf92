import { execFile } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface Ran {
  /** False when the program could not be started at all (not installed, not executable). */
  ran: boolean;
  /** The exit status; null when it was killed (timeout). */
  status: number | null;
  /** stdout and stderr together: some tools print their version on stderr (nginx -v). */
  output: string;
}

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
};

/** Where `name` would be found in `dirs`, as the shell finds a command; a path is checked as it is. */
export function which(name: string, dirs: string[]): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  return dirs.map((dir) => join(dir, name)).find(isExecutable);
}

export const pathDirs = (env: NodeJS.ProcessEnv) => (env["PATH"] ?? "").split(delimiter).filter(Boolean);

/** Runs `file` with `env`, never throwing: a missing program is `{ran: false}`. */
export function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 10_000, encoding: "utf8" }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`;
      if (!error) return resolve({ ran: true, status: 0, output });
      // a number is the exit status; a string (ENOENT, EACCES) means it never started
      if (typeof error.code === "string") return resolve({ ran: false, status: null, output });
      resolve({ ran: true, status: error.code ?? null, output });
    });
  });
}
