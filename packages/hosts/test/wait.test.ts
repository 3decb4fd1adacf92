import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Interrupted, PartFailed, waitUntil } from "../src/wait.js";

const dir = mkdtempSync(join(tmpdir(), "zto-wait-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("waiting for a part to become ready", () => {
  it("names the part that did not, why, and quotes the end of its log", async () => {
    const log = join(dir, "redis.log");
    writeFileSync(
      log,
      Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join("\n") + "\nFatal: port in use\n",
    );
    const failing = waitUntil(() => Promise.reject(new Error("ECONNREFUSED 10.77.0.31:6379")), {
      part: "redis1 redis",
      timeoutMs: 300,
      log,
    });
    await expect(failing).rejects.toThrow(PartFailed);
    await expect(failing).rejects.toThrow(
      /^redis1 redis is not ready: not ready after 0\.3 s: ECONNREFUSED 10\.77\.0\.31:6379/,
    );
    const message = await failing.then(
      () => "",
      (error: Error) => error.message,
    );
    expect(message).toContain(`--- last lines of ${log} ---\nline 27\n`);
    expect(message.endsWith("line 40\nFatal: port in use")).toBe(true);
  });

  it("gives up at once when the process it waits for has exited", async () => {
    const started = Date.now();
    const failing = waitUntil(() => Promise.reject(new Error("no answer")), {
      part: "api1 api",
      timeoutMs: 60_000,
      gone: async () => true,
    });
    await expect(failing).rejects.toThrow(/api1 api is not ready: it exited \(last check: no answer\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("stops waiting when interrupted", async () => {
    const interrupt = new AbortController();
    const waiting = waitUntil(() => Promise.reject(new Error("not yet")), {
      part: "db1 postgres",
      timeoutMs: 60_000,
      signal: interrupt.signal,
    });
    interrupt.abort();
    await expect(waiting).rejects.toThrow(Interrupted);
  });

  it("reports progress while it waits, and when the part is ready", async () => {
    const lines: string[] = [];
    let calls = 0;
    await waitUntil(
      async () => {
        if (++calls < 3) throw new Error("starting");
      },
      { part: "lb nginx", timeoutMs: 5_000, progress: (line) => lines.push(line) },
    );
    expect(lines).toEqual([expect.stringMatching(/^lb nginx ready \(\d+\.\d s\)$/)]);
  });
});
