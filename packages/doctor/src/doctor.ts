import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Check, Context } from "./check.js";
import { checkChromium } from "./checks/browser.js";
import { checkK6, checkWrk } from "./checks/load-tools.js";
import { checkGo, checkMongo } from "./checks/mongo.js";
import { checkNode } from "./checks/node.js";
import { checkPython } from "./checks/python.js";
import { checkNginx, checkRedis, checkRedisSentinel } from "./checks/services.js";
import { checkOpenssl } from "./checks/tls.js";
import { type Platform, localPlatform } from "./platform.js";

export interface Report {
  platform: Platform;
  checks: Check[];
}

const rootPackage = new URL("../../../package.json", import.meta.url);

/** What doctor looks at on this machine: this process's environment and Node, the tour's pythons. */
export function localContext(env: NodeJS.ProcessEnv = process.env): Context {
  const engines = (JSON.parse(readFileSync(rootPackage, "utf8")) as { engines: { node: string } }).engines;
  const home = env["HOME"] ?? homedir();
  return {
    env,
    pythons: ["python3", "/usr/bin/python3"],
    chromium: "/usr/bin/chromium",
    elsewhere: [
      "/usr/sbin",
      "/sbin",
      "/usr/local/sbin",
      "/usr/local/bin",
      "/usr/local/go/bin",
      "/opt/homebrew/bin",
      "/opt/homebrew/sbin",
      join(home, ".local", "bin"),
      join(home, "go", "bin"),
    ],
    nodeVersion: process.version,
    nodeRange: engines.node,
  };
}

/** Every check, run at once: each one starts a program or two, and none waits for another. */
export async function diagnose(ctx: Context, platform: Platform = localPlatform()): Promise<Report> {
  const [redis, sentinel, nginx, openssl, chromium, wrk, k6, mongo, go, python] = await Promise.all([
    checkRedis(ctx),
    checkRedisSentinel(ctx),
    checkNginx(ctx),
    checkOpenssl(ctx),
    checkChromium(ctx),
    checkWrk(ctx),
    checkK6(ctx),
    checkMongo(ctx),
    checkGo(ctx),
    checkPython(ctx),
  ]);
  return {
    platform,
    checks: [checkNode(ctx), redis, sentinel, nginx, openssl, chromium, wrk, k6, mongo, ...python, go],
  };
}

/** Doctor fails only when Node.js itself is too old: every other tool is optional. */
export const exitCode = (report: Report) => (report.checks.some((c) => c.required && !c.found) ? 1 : 0);
