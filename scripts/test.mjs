#!/usr/bin/env node
// `npm test` at the root: every workspace's tests through turbo, then one summary line that
// adds up the vitest JSON reports (turbo replays them from its cache for unchanged workspaces).
// What is installed is part of turbo's cache key (ZTO_SERVICES, from `npm run doctor -- --fingerprint`):
// after installing redis-server, the tests that skipped without it run instead of being replayed.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const workspaces = ["packages", "stages"].flatMap((dir) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(dir, entry.name)),
);
const report = (ws) => join(root, ws, ".vitest", "results.json");
for (const ws of workspaces) rmSync(report(ws), { force: true });

const fingerprint = spawnSync(
  process.execPath,
  ["--import", "tsx", "packages/doctor/src/cli.ts", "--fingerprint"],
  { cwd: root, encoding: "utf8" },
);
if (fingerprint.status !== 0) {
  console.error(`npm test: cannot tell which services are installed:\n${fingerprint.stderr}`);
  process.exit(1);
}
const services = fingerprint.stdout.trim();
console.log(`services: ${services}`);

// --continue: one failing workspace does not stop the others, so one run reports every failure
const turbo = spawnSync("npx", ["turbo", "run", "test", "--continue", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", ZTO_SERVICES: services },
});

const totals = { passed: 0, failed: 0, skipped: 0 };
console.log("\nTest summary by workspace");
for (const ws of workspaces) {
  if (!existsSync(report(ws))) continue;
  const r = JSON.parse(readFileSync(report(ws), "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += skipped;
  console.log(
    `  ${ws.padEnd(22)} ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`,
  );
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(turbo.status ?? 1);
