import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";

/** Where and how a command runs. */
export interface Place {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** Output kept for a failure message: the end of it, where the error is. */
const KEEP = 64 * 1024;

/** Process groups still running: killed if the test process exits first, so nothing outlives a run. */
const groups = new Set<number>();
process.on("exit", () => {
  for (const pid of groups) killGroup(pid, "SIGKILL");
});

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** bash with the line as the learner typed it, strict: any failing command in it fails the line. */
function shell(command: string, place: Place): ChildProcess {
  const child = spawn("bash", ["-c", `set -eo pipefail\n${command}`], {
    ...place,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid) groups.add(child.pid);
  child.on("exit", () => child.pid && groups.delete(child.pid));
  return child;
}

function collect(child: ChildProcess) {
  let output = "";
  const add = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-KEEP);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => output;
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr as they came. */
  output: string;
  stdout: string;
  timedOut: boolean;
}

/** Runs a command to its end (its whole process group is killed past `timeoutMs`). */
export function runToEnd(command: string, place: Place, timeoutMs: number): Promise<Finished> {
  const child = shell(command, place);
  const output = collect(child);
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid!, "SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, output: `${output()}${error.message}`, stdout, timedOut });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: output(), stdout, timedOut });
    });
  });
}

/** A long-running command started in the background. */
export interface Background {
  command: string;
  /** The docs line that started it. */
  line: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startBackground(command: string, line: number, place: Place): Background {
  const child = shell(command, place);
  const output = collect(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return { command, line, child, output, exited };
}

const running = (background: Background) =>
  background.child.exitCode === null && background.child.signalCode === null;

/**
 * Waits until the command is ready: something accepts connections on `port` and, if `line` is
 * given, it printed a line that matches (a stage's start-up line comes once every worker listens);
 * without a port, when it printed a line of its own (npm's `> script` banner does not count). Throws
 * when it exits first or takes longer than `timeoutMs`.
 */
export async function waitReady(
  background: Background,
  { port, line }: { port?: number; line?: RegExp },
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const printed = line
      ? line.test(background.output())
      : port !== undefined || printedOwnLine(background.output());
    if (printed && (port === undefined || (await accepts(port)))) return;
    if (!running(background)) {
      const { code, signal } = await background.exited;
      throw new Error(`exited ${signal ?? code} before it was ready`);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `not ready after ${timeoutMs / 1000} s${port ? ` (nothing listens on port ${port})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const printedOwnLine = (output: string) =>
  output.split("\n").some((line) => line.trim() !== "" && !line.startsWith("> "));

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Processes that only start another: bash and sh running a command line, npm, `npm run stage`'s script. */
const WRAPPER = /^(?:\S*\/)?(?:ba)?sh -c |^npm\b|^(?:\S*\/)?node \S*(?:npm-cli\.js|scripts\/stage\.mjs)\b/;

/**
 * The process that does the work: from the started shell down through the wrappers (bash → npm →
 * sh → node), the first that is not one: the server, a cluster's primary, nginx's master.
 */
function worker(pid: number): number {
  let rows: { pid: number; parent: number; args: string }[];
  try {
    rows = execFileSync("ps", ["-A", "-o", "pid=,ppid=,args="], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((row) => {
        const [, id = "", parent = "", args = ""] = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(row) ?? [];
        return { pid: Number(id), parent: Number(parent), args };
      });
  } catch {
    return pid;
  }
  for (;;) {
    const self = rows.find((row) => row.pid === pid);
    const children = rows.filter((row) => row.parent === pid);
    if (!self || !WRAPPER.test(self.args) || children.length !== 1) return pid;
    pid = children[0]!.pid;
  }
}

/**
 * Stops a background command as a supervisor would: SIGTERM to the process doing the work, then
 * waits for the whole command to end. Says what went wrong, if anything: a project's command (npm …)
 * must exit 0 (graceful shutdown is every stage's promise); another program may also die of the
 * SIGTERM. Whatever is left after `timeoutMs` is killed.
 */
export async function stopBackground(background: Background, timeoutMs: number): Promise<string | undefined> {
  const ours = /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*npm\b/.test(background.command);
  const stoppedByUs = running(background);
  if (stoppedByUs) {
    try {
      process.kill(worker(background.child.pid!), "SIGTERM");
    } catch {
      // it ended meanwhile
    }
  }
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs).unref());
  const result = await Promise.race([background.exited, timer]);
  killGroup(background.child.pid!, "SIGKILL");
  if (result === "timeout") return `still running ${timeoutMs / 1000} s after SIGTERM`;
  if (result.code === 0) return undefined;
  if (result.signal === "SIGTERM" && stoppedByUs && !ours) return undefined;
  return stoppedByUs
    ? `exited ${result.signal ?? result.code} on SIGTERM, not 0`
    : `exited ${result.signal ?? result.code} before the end of the block, not 0`;
}
