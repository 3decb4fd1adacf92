import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "@zero-to-one/test-kit";

export interface CommandServer {
  url: string;
  pid: number;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Whether a program runs at all (`--version` or similar), without throwing. */
export function runs(command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: "ignore", timeout: 10_000 });
  return !probe.error && probe.status === 0;
}

/**
 * Starts a non-Node server (the Flask references) on a free port and waits until it answers
 * /index, like test-kit's startServer does for the stages. `{port}` in the arguments is replaced.
 * Its output goes to a file in `logDir`, not a pipe: Flask's development server logs every request,
 * and a pipe the busy tour process drains late would slow the server down.
 */
export async function startCommand(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; logDir: string; timeoutMs?: number },
): Promise<CommandServer> {
  const port = await freePort();
  const logFile = join(options.logDir, "server.log");
  const fd = openSync(logFile, "w");
  const child = spawn(
    command,
    args.map((a) => a.replace("{port}", String(port))),
    {
      cwd: options.cwd,
      env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), ...options.env },
      stdio: ["ignore", fd, fd],
    },
  );
  closeSync(fd);
  const output = () => {
    const head = Buffer.alloc(8_000);
    const file = openSync(logFile, "r");
    try {
      return head.subarray(0, readSync(file, head, 0, head.length, 0)).toString();
    } finally {
      closeSync(file);
    }
  };
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/index`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${command} did not answer /index in time:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    output,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
