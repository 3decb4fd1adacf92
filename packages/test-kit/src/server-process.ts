import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { freePort } from "./ports.js";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr interleaved. */
  output: () => string;
  /** Sends a signal (SIGTERM by default) and resolves with the exit code once the process is gone. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export interface StartOptions {
  /** The stage (or any package) folder: the process runs there. */
  cwd: string;
  /** The script to run with node, relative to cwd. */
  entry?: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  /** A path that answers 200 once the server is ready. */
  readyPath?: string;
  timeoutMs?: number;
}

/**
 * Starts a server as its own process on a free port, the way a learner runs it, and waits
 * until it answers. Tests use it to exercise real sockets, signals and exits.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const chosen = options.env?.["PORT"];
  if (chosen) return startOn(options, chosen);
  // A free port is free when asked, not for good: on a busy machine another process (an outgoing
  // connection's ephemeral port, say) may take it before the server binds. Then try another one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(options, String(await freePort()));
    } catch (error) {
      if (attempt === 3 || !(error instanceof PortTaken)) throw error;
    }
  }
}

/** The server exited because its port was taken in the meantime. */
class PortTaken extends Error {}

async function startOn(options: StartOptions, port: string): Promise<ServerProcess> {
  const { cwd, entry = "dist/server.js", args = [], readyPath = "/index", timeoutMs = 15_000 } = options;
  const child = spawn(process.execPath, [entry, ...args], {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", ...options.env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const exited = once(child, "exit").then(([code]) => code as number | null);

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      const message = `server exited with ${child.exitCode} before answering:\n${log}`;
      throw log.includes(`EADDRINUSE 127.0.0.1:${port}`) ? new PortTaken(message) : new Error(message);
    }
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer ${readyPath} within ${timeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    child,
    output: () => log,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
