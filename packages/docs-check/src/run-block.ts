import { existsSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { RunAnnotation } from "./annotation.js";
import {
  classify,
  expectedStatus,
  printedStatus,
  programs,
  servicesOf,
  splitAnd,
  splitComment,
} from "./command-line.js";
import type { Failure } from "./failure.js";
import {
  type Background,
  type Place,
  runToEnd,
  startBackground,
  stopBackground,
  waitReady,
} from "./processes.js";
import { listStages } from "./repository.js";
import { blockName, type ShellBlock } from "./shell-blocks.js";
import { nginxFolder, onPath, openSession, redisServerArgs, rewrite, type Session } from "./session.js";

export interface BlockResult {
  /** The one line to print when the block is not run here (a service is missing, or it never runs). */
  skipped?: string;
  failures: Failure[];
  /** Commands checked rather than run: npm ci, npm test, docker compose. */
  notes: string[];
}

export interface RunOptions {
  /** The environment the commands start from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** How long one command may take. */
  lineTimeoutMs?: number;
  /** How long a long-running command may take to be ready (`npm run stage` builds first). */
  readyTimeoutMs?: number;
  /** How long a long-running command may take to stop after SIGTERM. */
  stopTimeoutMs?: number;
}

/** The benchmarks: never run as typed in a test, only as an annotation says (help= or replace=). */
const MEASURES =
  /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:npm run (?:tour|bench:[\w-]+)|node \S*packages\/bench\/dist\/)/;

/** The program each service is, on the PATH. */
const PROGRAM: Record<string, string> = { httpie: "http" };

const NO_ANNOTATION: RunAnnotation = { kind: "run", needs: [], with: [], replace: [], help: [], each: false };

/**
 * Runs a shell block as a learner would type it, line by line, from the repository root (or its
 * `cwd`): `cd` and `export` carry on to the next lines, long-running commands start in the
 * background and are waited for, every other command must exit 0 (`diff` may exit 1: it found
 * differences), a line whose comment starts with a status (`# 201, …`) must print that status, and
 * at the end everything started is stopped with SIGTERM and must exit 0.
 */
export async function runBlock(
  root: string,
  block: ShellBlock,
  options: RunOptions = {},
): Promise<BlockResult> {
  const name = blockName(block);
  if (block.annotation?.kind === "skip") {
    return { skipped: `skipped: ${name} is never run: ${block.annotation.because}`, failures: [], notes: [] };
  }
  const annotation = block.annotation ?? NO_ANNOTATION;
  const env = options.env ?? process.env;
  const commands = [
    ...annotation.with,
    ...block.lines.map(({ text }) => edit(splitComment(text).command, annotation)),
  ];
  const needs = new Set([...annotation.needs, ...commands.flatMap(servicesOf)]);
  const missing = [...needs].filter(
    (service) => service !== "mongo" && !onPath(PROGRAM[service] ?? service, env),
  );
  if (missing.length > 0)
    return { skipped: `skipped: ${name} needs ${missing.join(", ")}`, failures: [], notes: [] };

  const session = await openSession(env, { mongo: needs.has("mongo") });
  try {
    if (needs.has("mongo") && !session.mongoUrl) {
      return {
        skipped: `skipped: ${name} needs a MongoDB-wire server (set MONGO_URL, or install ferretdb)`,
        failures: [],
        notes: [],
      };
    }
    const run = new BlockRun(root, block, annotation, session, options);
    const startsRedis = commands.some((command) =>
      splitAnd(command).some((part) => {
        const kind = classify(part);
        return kind.kind === "background" && kind.ready === "redis";
      }),
    );
    if ((needs.has("redis-server") || needs.has("redis-cli")) && !startsRedis) await run.startRedis();
    await run.all();
    return { failures: run.failures, notes: run.notes };
  } finally {
    await session.close();
  }
}

/** A line's command with the annotation's replacements and `--help` applied. */
function edit(command: string, annotation: RunAnnotation): string {
  let text = command;
  for (const { from, to } of annotation.replace) text = text.replaceAll(from, to);
  return splitAnd(text)
    .map((part) => {
      if (!annotation.help.some((prefix) => part.startsWith(prefix))) return part;
      return /^npm run \S+$/.test(part) ? `${part} -- --help` : `${part} --help`;
    })
    .join(" && ");
}

interface State {
  cwd: string;
  env: NodeJS.ProcessEnv;
}

class BlockRun {
  failures: Failure[] = [];
  notes: string[] = [];
  private outputs: string[] = [];
  /** Whether a line sent a signal itself (`kill -TERM $primary`): what it stopped gets time to exit. */
  private signalled = false;
  private backgrounds: Background[] = [];

  constructor(
    private root: string,
    private block: ShellBlock,
    private annotation: RunAnnotation,
    private session: Session,
    private options: RunOptions,
  ) {}

  private get start(): State {
    return { cwd: join(this.root, this.annotation.cwd ?? "."), env: { ...this.session.env } };
  }

  async startRedis() {
    const command = `redis-server${redisServerArgs(this.session)}`;
    await this.background(command, "redis", this.block.annotationLine ?? this.block.line, this.start);
  }

  async all() {
    try {
      for (const command of this.annotation.with) {
        if (!(await this.line(command, "", this.block.annotationLine!, this.start))) return;
      }
      const state = this.start;
      for (const { line, text } of this.block.lines) {
        const { command, comment } = splitComment(text);
        if (!command) continue;
        if (this.annotation.each) {
          const started = this.backgrounds.length;
          const ok = await this.line(command, comment, line, this.start);
          await this.stop(this.backgrounds.splice(started));
          if (!ok) return;
        } else if (!(await this.line(command, comment, line, state))) return;
      }
    } finally {
      await this.stop(this.backgrounds.splice(0));
    }
  }

  private fail(line: number, message: string, output?: string) {
    const tail = output?.trimEnd().split("\n").slice(-30).join("\n    ");
    this.failures.push({
      check: "command",
      file: this.block.file,
      line,
      message: tail ? `${message}\n    ${tail}` : message,
    });
  }

  /** Runs one line; false when it failed (the lines after it would only fail on its account). */
  private async line(typed: string, comment: string, line: number, state: State): Promise<boolean> {
    const command = this.fill(edit(typed, this.annotation), line);
    if (command === undefined) return false;
    let output: string | undefined;
    for (const text of splitAnd(command)) {
      const part = classify(text);
      const where = relative(this.root, state.cwd) || "the repository root";
      switch (part.kind) {
        case "cd": {
          const dir = resolve(state.cwd, part.dir);
          if (!isFolder(dir)) {
            this.fail(line, `cd ${part.dir}: no such folder in ${where}`);
            return false;
          }
          state.cwd = dir;
          break;
        }
        case "assign": {
          // bash works the value out (`$(…)` runs), and the lines after it see the variable
          const value = rewrite(part.value, this.session);
          const script = `${part.name}=${value}\nprintf '%s' "$${part.name}"`;
          const finished = await runToEnd(script, this.place(state), this.options.lineTimeoutMs ?? 120_000);
          if (finished.code !== 0) {
            this.fail(
              line,
              `\`${text}\` exited ${finished.signal ?? finished.code} (in ${where})`,
              finished.output,
            );
            return false;
          }
          state.env[part.name] = finished.stdout;
          break;
        }
        case "npm ci":
          this.notes.push(
            `${this.block.file}:${line}: npm ci is not run (it would reinstall node_modules under running tests); test/fresh-clone.test.ts builds each stage as npm ci leaves it`,
          );
          break;
        case "npm test": {
          const problem = testScriptProblem(this.root, state.cwd);
          if (problem) {
            this.fail(line, `npm test in ${where}: ${problem}`);
            return false;
          }
          this.notes.push(`${this.block.file}:${line}: npm test in ${where} is run by the root npm test`);
          break;
        }
        case "docker compose":
          this.notes.push(
            `${this.block.file}:${line}: docker compose is for a learner's machine: never run, its service checked`,
          );
          break;
        case "background":
          if (!(await this.background(part.command, part.ready, line, state))) return false;
          break;
        case "run": {
          if (MEASURES.test(part.command) && !/\s--help\b/.test(part.command)) {
            this.fail(
              line,
              `\`${text}\` measures for minutes (and a full tour rewrites docs/benchmarks.md): not run; say how to check it in a docs:run annotation, help="…" (its options) or replace="…" (smaller arguments)`,
            );
            return false;
          }
          if (programs(part.command).includes("kill")) this.signalled = true;
          const finished = await runToEnd(
            rewrite(part.command, this.session),
            this.place(state),
            this.options.lineTimeoutMs ?? 120_000,
          );
          this.outputs.push(finished.output);
          output = finished.output;
          const diffFound = finished.code === 1 && programs(part.command)[0] === "diff";
          if (finished.code !== 0 && !diffFound) {
            const how = finished.timedOut
              ? "did not finish in time"
              : `exited ${finished.signal ?? finished.code}`;
            this.fail(line, `\`${text}\` ${how} (in ${where})`, finished.output);
            return false;
          }
        }
      }
    }
    const expected = expectedStatus(comment);
    if (expected !== undefined) {
      const printed = printedStatus(output ?? "");
      if (printed === undefined) {
        this.fail(
          line,
          `the comment says ${expected}, but \`${typed}\` prints no status line (curl shows it with -i)`,
          output,
        );
        return false;
      }
      if (printed !== expected) {
        this.fail(line, `\`${typed}\` answered ${printed}, but its comment says ${expected}`, output);
        return false;
      }
    }
    return true;
  }

  /** `<id>` and the like: the value of that field in the latest output that has it (the POST's JSON). */
  private fill(command: string, line: number): string | undefined {
    let missing: string | undefined;
    const filled = command.replace(/<(\w+)>/g, (placeholder, field: string) => {
      const pattern = new RegExp(`"${field}"\\s*:\\s*(?:"([^"]*)"|([\\w.-]+))`);
      for (const output of [...this.outputs].reverse()) {
        const found = pattern.exec(output);
        if (found) return found[1] ?? found[2]!;
      }
      missing ??= placeholder;
      return placeholder;
    });
    if (missing === undefined) return filled;
    this.fail(line, `${missing}: no command before it in the block printed "${missing.slice(1, -1)}"`);
    return undefined;
  }

  private place(state: State): Place {
    return { cwd: state.cwd, env: state.env };
  }

  private async background(command: string, ready: string, line: number, state: State): Promise<boolean> {
    let place = this.place(state);
    let text = rewrite(command, this.session);
    if (ready === "nginx") {
      if (!existsSync(join(state.cwd, "nginx.conf"))) {
        this.fail(
          line,
          `\`${command}\`: no nginx.conf in ${relative(this.root, state.cwd) || "the repository root"}`,
        );
        return false;
      }
      place = { ...place, cwd: nginxFolder(this.session, state.cwd) };
    }
    if (ready === "redis") text += redisServerArgs(this.session);
    const started = startBackground(text, line, place);
    this.backgrounds.push(started);
    const { app, nginx, redis } = this.session.ports;
    const port = { app, nginx, redis }[ready];
    // a learner waits for the start-up line ("… listening on http://…"), printed once every worker listens
    const until = { ...(port ? { port } : {}), ...(ready === "app" ? { line: /listening/i } : {}) };
    try {
      await waitReady(started, until, this.options.readyTimeoutMs ?? 120_000);
      return true;
    } catch (error) {
      this.fail(line, `\`${command}\` ${(error as Error).message}`, started.output());
      return false;
    }
  }

  private async stop(backgrounds: Background[]) {
    if (this.signalled) {
      const grace = new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      await Promise.race([Promise.all(backgrounds.map((background) => background.exited)), grace]);
    }
    for (const background of backgrounds.reverse()) {
      const problem = await stopBackground(background, this.options.stopTimeoutMs ?? 30_000);
      if (problem) this.fail(background.line, `\`${background.command}\` ${problem}`, background.output());
    }
  }
}

const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();

/** Why `npm test` would not run in `cwd` as part of the root's `npm test`, if it would not. */
function testScriptProblem(root: string, cwd: string): string | undefined {
  const manifest = join(cwd, "package.json");
  if (!existsSync(manifest)) return "no package.json here";
  const scripts = (JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> })
    .scripts;
  if (!scripts?.["test"]) return "package.json has no test script";
  const path = relative(root, cwd);
  const workspace =
    path === "" || /^packages\/[^/]+$/.test(path) || listStages(root).some((stage) => stage.dir === path);
  return workspace ? undefined : "not a workspace, so the root npm test does not run it";
}
