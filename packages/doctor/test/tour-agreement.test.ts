import { flaskTargets } from "@zero-to-one/bench/dist/targets.js";
import { k6Version } from "@zero-to-one/bench/dist/tools/k6.js";
import { wrkVersion } from "@zero-to-one/bench/dist/tools/wrk.js";
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
