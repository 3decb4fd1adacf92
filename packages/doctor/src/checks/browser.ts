import type { Check, Context } from "../check.js";
import { pathDirs, run, which } from "../probe.js";

/**
 * Chromium where stage 08's browser test launches it (playwright-core, never a downloaded browser):
 * the one path in `ctx.chromium`, as a file that runs. A chromium elsewhere on PATH (Ubuntu's snap)
 * does not count, since the test would skip.
 */
export async function checkChromium(ctx: Context): Promise<Check> {
  const path = which(ctx.chromium, []);
  const ran = path ? await run(path, ["--version"], ctx.env) : undefined;
  const version = /Chromium (\d[\d.]*)/.exec(ran?.output ?? "")?.[1];
  const notes: string[] = [];
  if (path && ran?.status !== 0) {
    notes.push(`${path} --version failed: ${ran?.output.trim().split("\n").at(-1) || "no output"}`);
  }
  const other = which("chromium", pathDirs(ctx.env));
  if (!path && other) {
    notes.push(`chromium is at ${other}, but the browser test looks only for ${ctx.chromium}`);
  }
  return {
    name: "Chromium",
    found: ran?.status === 0,
    ...(version ? { version } : {}),
    ...(path ? { source: path } : {}),
    enables: "stage 08's browser test (xss.test.ts, driven by playwright-core)",
    install: [
      {
        os: "debian",
        command: "sudo apt-get install chromium",
        note: "Debian's package: on Ubuntu, Chromium is a snap (/snap/bin/chromium), which the test does not look for",
      },
      {
        os: "macos",
        command: `none yet: the test looks only for ${ctx.chromium}, where Debian's package puts it`,
      },
    ],
    notes,
    fingerprint: { chromium: version ?? (ran?.status === 0 ? "unknown" : "-") },
  };
}
