import { spawn } from "node:child_process";

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
}

/** Runs a program to its end and collects what it printed; never throws for a non-zero exit. */
export function run(
  argv: readonly string[],
  { env, input, timeoutMs = 60_000 }: RunOptions = {},
): Promise<Ran> {
  const [program, ...args] = argv;
  if (program === undefined) throw new Error("run: no program given");
  return new Promise((resolve) => {
    const child = spawn(program, args, { env: env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeoutMs} ms)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: stderr + error.message });
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs a program that must succeed: a failure throws with the command and what it said. */
export async function must(argv: readonly string[], options?: RunOptions): Promise<string> {
  const ran = await run(argv, options);
  if (ran.code !== 0) {
    const said = (ran.stderr.trim() || ran.stdout.trim()).split("\n").slice(-5).join("\n");
    throw new Error(`\`${argv.join(" ")}\` failed (exit ${ran.code}): ${said}`);
  }
  return ran.stdout;
}
