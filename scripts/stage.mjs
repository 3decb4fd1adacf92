#!/usr/bin/env node
// `npm run stage -- 04`: builds one stage (and what it needs) and runs its server in the foreground.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const wanted = process.argv[2];
const stages = readdirSync(join(root, "stages")).sort();
const stage =
  wanted && stages.find((name) => name === wanted || name.startsWith(`${wanted.padStart(2, "0")}-`));
if (!stage) {
  console.error(`usage: npm run stage -- <number>, one of: ${stages.map((s) => s.slice(0, 2)).join(", ")}`);
  process.exit(2);
}

const run = (command, args, cwd = root) =>
  spawnSync(command, args, { cwd, stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } })
    .status ?? 1;

const built = run("npx", [
  "turbo",
  "run",
  "build",
  `--filter=./stages/${stage}...`,
  "--output-logs=errors-only",
]);
if (built !== 0) process.exit(built);
process.exit(run("npm", ["start"], join(root, "stages", stage)));
