import type { Check, Context } from "../check.js";

const parts = (version: string) => version.replace(/^v/, "").split(".").map(Number);

/** Whether `version` (v20.19.1) satisfies `range` (>=20.19), the only form engines.node uses here. */
export function satisfies(version: string, range: string): boolean {
  const minimum = /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(range.trim())?.[1];
  if (!minimum) throw new Error(`engines.node must read ">=X.Y", not ${range}`);
  const have = parts(version);
  const need = parts(minimum);
  for (let i = 0; i < 3; i++) {
    const diff = (have[i] ?? 0) - (need[i] ?? 0);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

export function checkNode(ctx: Context): Check {
  const found = satisfies(ctx.nodeVersion, ctx.nodeRange);
  return {
    name: "Node.js",
    found,
    version: ctx.nodeVersion,
    source: process.execPath,
    enables: `everything (package.json engines: ${ctx.nodeRange})`,
    install: [
      {
        os: "debian",
        command: "nvm install 22",
        note: "nvm: https://github.com/nvm-sh/nvm; Debian 12's and Ubuntu 24.04's own nodejs is 18, too old",
      },
      { os: "macos", command: "brew install node@22" },
      { os: "any", command: "https://nodejs.org/en/download" },
    ],
    notes: found ? [] : [`Node.js ${ctx.nodeVersion} is too old: install a newer one, then npm ci again`],
    required: true,
    fingerprint: { node: ctx.nodeVersion },
  };
}
