import { flaskTargets } from "@zero-to-one/bench/dist/targets.js";
import { k6Version } from "@zero-to-one/bench/dist/tools/k6.js";
import { wrkVersion } from "@zero-to-one/bench/dist/tools/wrk.js";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { diagnose, localContext } from "../src/doctor.js";
import { PYTHON_WITHOUT_FLASK, fakeBin } from "./fake-bin.js";

const path = process.env["PATH"];
afterEach(() => {
  process.env["PATH"] = path;
});

const setups: Record<string, Record<string, string | undefined>> = {
  "nothing on PATH": {},
  "python3 with Flask, and gunicorn": { python3: undefined, gunicorn: undefined },
  "python3 without Flask, and gunicorn": { python3: PYTHON_WITHOUT_FLASK, gunicorn: undefined },
  "python3 with Flask, no gunicorn": { python3: undefined },
  "python3 with Flask but not gevent, and gunicorn": {
    python3: `case "$2" in *gevent) exit 1 ;; *flask*) printf 'flask=3.0.3\\ngevent=-\\n' ;; esac`,
    gunicorn: undefined,
  },
  "a gunicorn that fails": { python3: undefined, gunicorn: "exit 1" },
  "wrk and k6": { wrk: undefined, k6: undefined },
  "a k6 that fails": { k6: "exit 1" },
};

// The tour's own probes read this process's PATH, and try /usr/bin/python3 whatever the PATH: doctor,
// with the same context, must agree with them on any machine.
describe("doctor agrees with the tour", () => {
  for (const [setup, stubs] of Object.entries(setups)) {
    it(`on what it can run: ${setup}`, async () => {
      const bin = fakeBin();
      for (const [name, body] of Object.entries(stubs)) bin.add(name, body);
      process.env["PATH"] = bin.bin;
      const { checks } = await diagnose(localContext({ PATH: bin.bin, HOME: bin.root }));
      const found = (name: string) => checks.find((c) => c.name === name)?.found;
      const tour = flaskTargets().targets.map((t) => t.id);
      expect({
        flask: found("Flask"),
        gunicorn: found("gunicorn"),
        gevent: found("gevent"),
        wrk: found("wrk"),
        k6: found("k6"),
      }).toEqual({
        flask: tour.includes("flask-dev"),
        gunicorn: tour.includes("flask-gunicorn"),
        gevent: tour.includes("flask-gevent"),
        wrk: wrkVersion() !== undefined,
        k6: k6Version() !== undefined,
      });
    });
  }
});

const stage08 = new URL("../../../stages/08-secure/", import.meta.url).pathname;

// npm run cert and the HTTPS test find openssl on PATH: doctor's ✓ must mean the certificate gets made
describe("doctor agrees with stage 08's certificate script", () => {
  const setups: Record<string, (bin: ReturnType<typeof fakeBin>) => string> = {
    "this machine's PATH": () => path ?? "",
    "no openssl on PATH": (bin) => bin.bin,
    "an openssl that fails": (bin) => {
      bin.add("openssl", `echo "openssl: cannot load libcrypto" >&2; exit 1`);
      return `${bin.bin}:${path ?? ""}`;
    },
  };
  for (const [setup, pathOf] of Object.entries(setups)) {
    it(`on whether npm run cert works: ${setup}`, async () => {
      const bin = fakeBin();
      const env = { PATH: pathOf(bin), HOME: bin.root };
      const openssl = (await diagnose(localContext(env))).checks.find((c) => c.name === "openssl");
      const certDir = join(bin.root, "tls");
      const made = spawnSync("/bin/sh", ["scripts/make-cert.sh", certDir], { cwd: stage08, env });
      expect(openssl?.found).toBe(made.status === 0 && existsSync(join(certDir, "cert.pem")));
      // https.test.ts skips only when openssl cannot be started: never while doctor counts it
      const httpsTestSkips = spawnSync("openssl", ["version"], { env }).error !== undefined;
      expect(openssl?.found && httpsTestSkips).toBe(false);
    });
  }
});

describe("doctor agrees with stage 08's browser test", () => {
  it("looks for Chromium at the path xss.test.ts launches", () => {
    const test = readFileSync(join(stage08, "test", "xss.test.ts"), "utf8");
    const launched = /const CHROMIUM = "([^"]+)"/.exec(test)?.[1];
    expect(launched).toBeDefined();
    expect(localContext().chromium).toBe(launched);
  });
});
