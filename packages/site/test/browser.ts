import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/**
 * The system's Chromium (Debian's `chromium`, /usr/bin/chromium), found on PATH so that a machine
 * without it, or CI's Node-only run, skips: the tests never download a browser.
 */
export function findChromium(path = process.env["PATH"] ?? ""): string | undefined {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, "chromium"))
    .find((file) => {
      try {
        accessSync(file, constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export const CHROMIUM_MISSING = "the site's browser tests need chromium (apt-get install chromium)";

export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}
