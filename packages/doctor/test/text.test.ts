import { describe, expect, it } from "vitest";
import type { Os } from "../src/check.js";
import { diagnose } from "../src/doctor.js";
import { renderText } from "../src/text.js";
import { STUBS, fakeBin } from "./fake-bin.js";

const platforms: Record<Os, { os: Os; name: string }> = {
  debian: { os: "debian", name: "Debian GNU/Linux 12 (bookworm)" },
  macos: { os: "macos", name: "macOS" },
  other: { os: "other", name: "Fedora Linux 40" },
};

async function textOn(os: Os, stubs: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const bin = fakeBin();
  for (const name of stubs) bin.add(name);
  return renderText(await diagnose(bin.context(env), platforms[os]));
}

const row = (text: string, name: string) =>
  text.split("\n").find((line) => line.slice(4).startsWith(`${name} `));
const installSection = (text: string) => text.slice(text.indexOf("To install what is missing"));

describe("doctor's text", () => {
  it("marks what it found with its version, and what is missing with ✗", async () => {
    const text = await textOn("debian", ["redis-server", "wrk"]);
    expect(row(text, "redis-server")).toMatch(/^ {2}✓ redis-server +7\.0\.15 +stages 06–09/);
    expect(row(text, "wrk")).toMatch(/^ {2}✓ wrk +4\.1\.0 +the article's load tool/);
    expect(row(text, "nginx")).toMatch(/^ {2}✗ nginx +- +stages 05–09: the behind-nginx tests/);
    expect(installSection(text)).not.toContain("redis-server  ");
  });

  it("on Debian/Ubuntu gives apt-get lines, and all the packages in one", async () => {
    const install = installSection(await textOn("debian"));
    expect(install).toContain("(commands for Debian/Ubuntu)");
    expect(install).toMatch(/^ {2}nginx +sudo apt-get install nginx-light$/m);
    expect(install).toMatch(/^ {2}redis-server +sudo apt-get install redis-server$/m);
    expect(install).toContain("docker compose up -d && export REDIS_URL=redis://localhost:6379");
    expect(install).toContain("bash scripts/install-ferretdb.sh");
    expect(install).toContain(
      "All the packages at once: sudo apt-get install redis-server redis-sentinel nginx-light openssl wrk python3-flask gunicorn python3-gevent\n",
    );
    expect(install).not.toContain("brew install");
  });

  it("offers Chromium from apt on Debian only, and says so on Ubuntu and macOS", async () => {
    const debian = installSection(await textOn("debian")).split("\n");
    const chromium = debian.findIndex((line) => /^ {2}Chromium +sudo apt-get install chromium$/.test(line));
    expect(debian[chromium + 1]).toContain("on Ubuntu, Chromium is a snap (/snap/bin/chromium)");
    // Ubuntu has no package of that name: one unknown package would fail the whole line
    expect(debian.find((line) => line.startsWith("All the packages at once"))).not.toContain("chromium");
    expect(installSection(await textOn("macos"))).toMatch(
      /^ {2}Chromium +none yet: the test looks only for \S+\/chromium, where Debian's package puts it$/m,
    );
  });

  it("never offers k6 from Debian's own repositories", async () => {
    const lines = installSection(await textOn("debian")).split("\n");
    const k6 = lines.findIndex((line) => line.includes("sudo apt-get install k6"));
    expect(lines[k6 + 1]).toContain("after adding Grafana's apt repository");
    expect(lines[k6 + 2]).toContain("https://grafana.com/docs/k6/latest/set-up/install-k6/");
    expect(lines.find((line) => line.startsWith("All the packages at once"))).not.toContain("k6");
  });

  it("on macOS gives brew lines", async () => {
    const install = installSection(await textOn("macos"));
    expect(install).toContain("(commands for macOS)");
    expect(install).toMatch(/^ {2}redis-server +brew install redis$/m);
    expect(install).toMatch(/^ {2}k6 +brew install k6$/m);
    expect(install).toContain("All the packages at once: brew install redis nginx wrk k6 go");
    // macOS 13+ has a LibreSSL that makes the certificate: Homebrew's OpenSSL is for older ones
    expect(install).toMatch(
      /^ {2}openssl +brew install openssl@3\n +only before macOS 13, whose LibreSSL 2\.8\.3 is too old/m,
    );
    expect(install).not.toContain("apt-get");
  });

  it("on another OS gives every line, each saying which OS it is for", async () => {
    const install = installSection(await textOn("other"));
    expect(install).toMatch(/^ {2}redis-server +Debian\/Ubuntu: sudo apt-get install redis-server$/m);
    expect(install).toContain("macOS: brew install redis");
    expect(install).toContain("https://grafana.com/docs/k6/latest/set-up/install-k6/");
    expect(install).not.toContain("All the packages at once");
  });

  it("lists Go under install only while it is the way to a missing MongoDB-wire server", async () => {
    expect(installSection(await textOn("debian"))).toMatch(/^ {2}Go +sudo apt-get install golang$/m);
    const withFerret = await textOn("debian", ["ferretdb"]);
    expect(row(withFerret, "Go")).toMatch(/✗ Go/);
    expect(installSection(withFerret)).not.toMatch(/^ {2}Go /m);
  });

  it("says when everything is installed", async () => {
    const text = await textOn("debian", Object.keys(STUBS));
    expect(text).not.toContain("✗");
    expect(text.trimEnd().split("\n").at(-1)).toBe("Everything is installed.");
  });
});
