import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import type { SuiteResult } from "./suite-result.js";

const child = new URL("vitest-child.js", import.meta.url).pathname;

/** The environment without a vitest's own settings, when `check` itself runs under vitest: the tests run as `npm test` runs them. */
const ownEnv = () =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST")));

/** A test file finished: its name, how many tests it had, how many failed, whether it could load at all. */
export type Progress = (file: string, tests: number, failed: number, loaded: boolean) => void;

/**
 * Lists (`collect`) or runs (`run`) the tests in `dir` — only `files` when given — in a vitest
 * process of its own, in that folder as its `npm test` would, and reads what it wrote to `out`.
 */
export function suite(
  mode: "collect" | "run",
  dir: string,
  out: string,
  files: readonly string[] = [],
  progress?: Progress,
): Promise<SuiteResult> {
  mkdirSync(dirname(out), { recursive: true });
  rmSync(out, { force: true });
  const paths = files.map((file) => join(dir, "test", file));
  return new Promise((resolve, reject) => {
    // a group of its own, which it can end whole when a test hangs: workers, servers, redis-servers
    const vitest = spawn(process.execPath, [child, mode, dir, out, ...paths], {
      cwd: dir,
      env: ownEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    // Ctrl-C reaches only the terminal's group: pass it on
    const stop = (signal: NodeJS.Signals) => {
      try {
        process.kill(-vitest.pid!, "SIGTERM");
      } finally {
        process.kill(process.pid, signal);
      }
    };
    const onSignal = ["SIGINT", "SIGTERM", "SIGHUP"].map((signal) => {
      const handler = () => stop(signal as NodeJS.Signals);
      process.once(signal, handler);
      return () => process.off(signal, handler);
    });
    let output = "";
    let pending = "";
    vitest.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const done = /^progress (\S+) (\d+) (\d+) ([01])$/.exec(line);
        if (done) progress?.(done[1]!, Number(done[2]), Number(done[3]), done[4] === "1");
        else output += `${line}\n`;
      }
    });
    vitest.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    vitest.once("error", reject);
    vitest.once("close", (code, signal) => {
      for (const off of onSignal) off();
      if (existsSync(out)) resolve(JSON.parse(readFileSync(out, "utf8")) as SuiteResult);
      else
        reject(
          new Error(
            `vitest in ${dir} stopped (${signal ?? `exit ${code}`}) before it could tell:\n${output.trim().split("\n").slice(-20).join("\n")}`,
          ),
        );
    });
  });
}
