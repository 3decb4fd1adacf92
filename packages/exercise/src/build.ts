import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { modulesDir } from "./repository.js";

export type Build = { ok: true } | { ok: false; errors: string[] };

/** How many of the compiler's errors a report shows: the first ones are the ones to fix first. */
const SHOWN = 5;

/**
 * Compiles the exercise as `npm run build` compiles a stage (`tsc -p tsconfig.build.json`) into a
 * fresh dist/, so no file left from an earlier build stands in for one the learner removed.
 */
export async function build(exerciseDir: string): Promise<Build> {
  rmSync(join(exerciseDir, "dist"), { recursive: true, force: true });
  const tsc = join(modulesDir, "typescript", "bin", "tsc");
  const { status, output } = await new Promise<{ status: number | null; output: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json", "--pretty", "false"], {
        cwd: exerciseDir,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => resolve({ status: code, output }));
    },
  );
  if (status === 0) return { ok: true };
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  const errors = lines.filter((line) => /error TS\d+:/.test(line));
  const found = errors.length > 0 ? errors : lines;
  const shown = found.slice(0, SHOWN);
  if (found.length > SHOWN)
    shown.push(`… and ${found.length - SHOWN} more (npm run build in the exercise shows them all)`);
  return { ok: false, errors: shown.length > 0 ? shown : [`tsc exited with ${status}`] };
}
