import { spawn } from "node:child_process";
import { once } from "node:events";

/** How a program ended, and what it printed. */
export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface RunNodeOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** A run that takes longer is stopped with SIGTERM. */
  timeoutMs?: number;
}

/** Runs `node …args` to its end, as a person would from a terminal, and collects what it printed. */
export async function runNode(
  args: readonly string[],
  { cwd, env, timeoutMs }: RunNodeOptions = {},
): Promise<Ran> {
  const child = spawn(process.execPath, args, {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
  });
  const ran: Ran = { status: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (ran.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (ran.stderr += chunk.toString()));
  // "close", not "exit": every byte it printed has been read by then
  [ran.status] = (await once(child, "close")) as [number | null];
  return ran;
}
