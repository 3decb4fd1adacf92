import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, cpus, release, tmpdir, type } from "node:os";
import { dirname, join } from "node:path";
import { fillRecordMarkers } from "./record-markers.js";
import { formatRecording, readRecordings, recordingPath, type Recording } from "./recordings.js";
import { stepLine, type Recipe } from "./recipes.js";
import { documents } from "./repository.js";
import { cleanOutput } from "./terminal.js";

/** A recipe that could not be recorded; the message says why, for a person. */
export class RecordError extends Error {}

/** What a recording is doing, for the progress line. */
export type RecordEvent =
  | { kind: "build"; workspaces: string[] }
  | { kind: "step"; index: number; of: number; line: string }
  | { kind: "output"; text: string };

export interface RecordOptions {
  progress?: (event: RecordEvent) => void;
  /** Run each step in a pseudo-terminal (`script`), as a person would see it; the default when `script` exists. */
  terminal?: boolean;
  /** Seconds a step may take before it is stopped. */
  stepTimeoutSec?: number;
  now?: () => Date;
}

/** The machine, as a recording's header names it. */
export function describeMachine(): string {
  const model = cpus()[0]?.model.trim() || "unknown CPU";
  return `${availableParallelism()} cores, ${model}, ${type()} ${release()}, Node ${process.version}`;
}

const hasProgram = (name: string) => spawnSync("bash", ["-c", `command -v ${name}`]).status === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Builds the workspaces (and what they depend on) with turbo, quietly unless it fails. */
function build(root: string, workspaces: string[]) {
  if (workspaces.length === 0) return;
  const filters = workspaces.map((dir) => {
    const { name } = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as { name: string };
    return `--filter=${name}...`;
  });
  const run = spawnSync("npx", ["turbo", "run", "build", ...filters, "--output-logs=errors-only"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  });
  if (run.status !== 0)
    throw new RecordError(
      `the build failed:\n${(run.stdout + run.stderr).trim().split("\n").slice(-20).join("\n")}`,
    );
}

/** Runs one step; resolves with everything it printed, stdout and stderr as they interleaved. */
function runStep(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  terminal: boolean,
  timeoutSec: number,
  onOutput: (text: string) => void,
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const [file, args] = terminal
    ? ["script", ["-qefc", command, "/dev/null"]]
    : ["bash", ["-c", `exec 2>&1; ${command}`]];
  const child = spawn(file, args, {
    cwd,
    env: { ...env, SHELL: "/bin/bash" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const take = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    onOutput(text);
  };
  child.stdout.on("data", take);
  child.stderr.on("data", take);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, "SIGTERM");
    } catch {
      // already gone
    }
  }, timeoutSec * 1000);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output, timedOut });
    });
  });
}

/** The output as a reader should see it: the temporary folder as `$DATA`, the repository as `.`, ports as `$PORT`. */
function anonymize(output: string, root: string, data: string, ports: Record<string, number>): string {
  let text = output.replaceAll(data, "$DATA").replaceAll(root.replace(/\/$/, ""), ".");
  for (const [name, port] of Object.entries(ports)) {
    text = text.replace(new RegExp(`(?<=(?:127\\.0\\.0\\.1|localhost|\\]):)${port}(?!\\d)`, "g"), `$${name}`);
  }
  return text;
}

/**
 * Runs a recipe's steps from the repository at `root` and writes docs/recordings/NAME.txt: a header
 * (the steps, date, machine, revision) and what the steps printed; `fillDocuments` then puts it in
 * the docs. Throws RecordError, and leaves the old recording alone, when a step fails.
 */
export async function record(root: string, recipe: Recipe, options: RecordOptions = {}): Promise<Recording> {
  const progress = options.progress ?? (() => {});
  const missing = (recipe.needs ?? []).filter((program) => !hasProgram(program));
  if (missing.length > 0) {
    throw new RecordError(
      `${recipe.name} needs ${missing.join(" and ")}, which this machine does not have (npm run doctor says how to get it)`,
    );
  }
  const terminal = options.terminal ?? hasProgram("script");
  progress({ kind: "build", workspaces: recipe.builds });
  build(root, recipe.builds);

  const data = mkdtempSync(join(tmpdir(), `docs-record-${recipe.name}-`));
  const ports = { PORT: await freePort(), PORT_2: await freePort(), PORT_3: await freePort() };
  const env = {
    ...process.env,
    DATA: data,
    DB_PATH: join(data, "todo.db"),
    ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
  };
  const date = (options.now ?? (() => new Date()))();
  const sessions: string[] = [];
  try {
    for (const [index, step] of recipe.steps.entries()) {
      const line = stepLine(step);
      progress({ kind: "step", index, of: recipe.steps.length, line });
      const run = await runStep(
        step.run,
        join(root, step.in ?? "."),
        env,
        terminal,
        options.stepTimeoutSec ?? 1800,
        (text) => progress({ kind: "output", text }),
      );
      const printed = anonymize(cleanOutput(run.output), root, data, ports);
      if (run.code !== 0 || run.timedOut) {
        const why = run.timedOut
          ? `took longer than ${options.stepTimeoutSec ?? 1800} s`
          : `exited with ${run.code}`;
        throw new RecordError(
          `${recipe.name}: ${line} ${why}:\n${printed.split("\n").slice(-30).join("\n")}`,
        );
      }
      sessions.push(printed ? `${line}\n${printed}` : line);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }

  const recording: Recording = {
    name: recipe.name,
    about: recipe.about,
    date: date.toISOString().replace(/\.\d+Z$/, "Z"),
    machine: describeMachine(),
    revision: revision(root, [...recipe.builds, "packages/server-kit", "packages/docs-check/recipes"]),
    steps: recipe.steps.map(stepLine),
    output: sessions.join("\n\n"),
  };
  const path = join(root, recordingPath(recipe.name));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, formatRecording(recording));
  return recording;
}

/** `git rev-parse --short HEAD`, and a note when what the recipe runs had uncommitted changes. */
function revision(root: string, paths: string[]): string {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    const head = git("rev-parse", "--short", "HEAD");
    return git("status", "--porcelain", "--untracked-files=no", "--", ...paths)
      ? `${head} (with uncommitted changes)`
      : head;
  } catch {
    return "unknown (not a git checkout)";
  }
}

/**
 * Rewrites the record markers of every document from the recordings (never from one edited by hand,
 * which docs:check reports); returns the documents changed.
 */
export function fillDocuments(root: string): string[] {
  const recordings = new Map([...readRecordings(root)].filter(([, recording]) => recording.digestMatches));
  const changed: string[] = [];
  for (const doc of documents(root)) {
    const path = join(root, doc);
    const before = readFileSync(path, "utf8");
    const after = fillRecordMarkers(before, doc, recordings);
    if (after !== before) {
      writeFileSync(path, after);
      changed.push(doc);
    }
  }
  return changed;
}
