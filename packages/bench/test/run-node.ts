import { spawn } from "node:child_process";
import { once } from "node:events";

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a built script of this package with node, as a person would, and collects what it printed;
 * with `timeoutMs`, a run that takes longer is stopped with SIGTERM.
 */
export async function runNode(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs?: number,
): Promise<Ran> {
  const child = spawn(process.execPath, args, {
    cwd: new URL("..", import.meta.url).pathname,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(timeoutMs ? { timeout: timeoutMs } : {}),
  });
  const ran: Ran = { status: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (ran.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (ran.stderr += chunk.toString()));
  [ran.status] = (await once(child, "exit")) as [number | null];
  return ran;
}
