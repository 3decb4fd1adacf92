import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const cli = new URL("../src/cli.ts", import.meta.url).pathname;
const root = process.getuid?.() === 0;
const linux = process.platform === "linux";
if (!linux) console.log(`skipped: npm run hosts refusing to start: ${process.platform} is not Linux`);
else if (!root)
  console.log("skipped: npm run hosts without ip: only root gets that far (this runs as another user)");

const hosts = (args: string[], { env = process.env, asNobody = false } = {}) => {
  const argv = [process.execPath, "--import", "tsx", cli, ...args];
  const command = asNobody
    ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", ...argv]
    : argv;
  const [program = "", ...rest] = command;
  return spawnSync(program, rest, { encoding: "utf8", env, timeout: 60_000 });
};

describe("npm run hosts where it cannot make hosts", () => {
  it.skipIf(!linux)("says it needs root in one line and exits non-zero", () => {
    // as root, the same check as another user: nobody
    const ran = hosts(["up"], { asNobody: root });
    expect(ran.status).toBe(1);
    expect(ran.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^hosts: .*needs root/)]);
  });

  it.skipIf(!linux || !root)("says ip is missing in one line and exits non-zero", () => {
    const bin = mkdtempSync(join(tmpdir(), "zto-no-ip-"));
    try {
      symlinkSync(process.execPath, join(bin, "node"));
      const ran = hosts(["up"], { env: { ...process.env, PATH: bin } });
      expect(ran.status).toBe(1);
      expect(ran.stderr.trim().split("\n")).toEqual([
        "hosts: ip (iproute2) is not installed: apt-get install iproute2",
      ]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  it("refuses a bad option with the usage, exit 2", () => {
    const ran = hosts(["up", "--api", "9"]);
    expect(ran.status).toBe(2);
    expect(ran.stderr).toMatch(
      /^hosts: --api "9": expected a whole number from 1 to 3\nusage: npm run hosts/,
    );
  });
});
