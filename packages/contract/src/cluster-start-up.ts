import { exitCode, freePort, waitFor } from "@zero-to-one/test-kit";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/** The stage's real primary over a stand-in worker that crashes while a CRASH_FILE exists. */
const crashingCluster = fileURLToPath(new URL("../src/fixtures/crashing-cluster.mjs", import.meta.url));
/** The same primary over stand-in workers whose IPC channel outlives them after SIGTERM. */
const lingeringCluster = fileURLToPath(new URL("../src/fixtures/lingering-cluster.mjs", import.meta.url));

const run = (cwd: string, entry: string, env: Record<string, string | undefined>) => {
  const child = spawn(process.execPath, [entry], {
    cwd,
    env: { ...process.env, HOST: "127.0.0.1", MONGO_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout.on("data", (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (log += chunk.toString()));
  return { child, output: () => log };
};

export interface ClusterStartUpOptions {
  /** The stage folder, with `dist/server.js` and `dist/primary.js` built. */
  stageDir: string;
  /** Extra environment for every process, e.g. the throwaway REDIS_URL of a stage with a cache. */
  env?: Record<string, string>;
}

/** How a clustered stage's primary starts and fails: no worker can run, bad settings, a crash loop. */
export function describeClusterStartUp({ stageDir, env: stageEnv = {} }: ClusterStartUpOptions) {
  describe("the primary when workers cannot run", { timeout: 60_000 }, () => {
    it("stops with exit code 1 and the worker's reason when no worker can start", async () => {
      const port = String(await freePort());
      // a folder cannot be created under /dev/null: every worker fails to open the store
      const { child, output } = run(stageDir, "dist/server.js", {
        ...stageEnv,
        PORT: port,
        WORKERS: "2",
        DB_PATH: "/dev/null/x/todo.db",
      });
      expect(await exitCode(child, 30_000)).toBe(1);
      expect(output()).toMatch(/cannot open the SQLite file DB_PATH=\/dev\/null\/x\/todo\.db/);
      expect(output()).toMatch(/a worker failed to start .*: stopping/);
      expect(output()).not.toMatch(/listening on/);
    });

    it("refuses a bad WORKERS or TRUSTED_PROXY with one line, before forking anything", async () => {
      for (const [env, message] of [
        [{ WORKERS: "0" }, /WORKERS="0" is not valid: expected a whole number from 1/],
        [{ WORKERS: "two" }, /WORKERS="two" is not valid/],
        [{ TRUSTED_PROXY: "127.0.0.1,nginx" }, /TRUSTED_PROXY=.* "nginx" is not an IP address/],
      ] as const) {
        const { child, output } = run(stageDir, "dist/server.js", {
          ...stageEnv,
          PORT: String(await freePort()),
          ...env,
        });
        expect(await exitCode(child, 15_000)).toBe(1);
        expect(output().trim().split("\n")).toEqual([expect.stringMatching(message)]);
      }
    });

    it("exits 0 once its last worker has exited, though a worker's IPC channel closes after it", async () => {
      const { child, output } = run(stageDir, lingeringCluster, {
        ...stageEnv,
        PORT: String(await freePort()),
        LINGER_MS: "8000",
      });
      try {
        await waitFor(() => output().includes("ready"), { what: "ready", output });
        const stoppedAt = Date.now();
        child.kill("SIGTERM");
        // not after the channels close, 8 s on, nor when the drain gives up
        expect(await exitCode(child, 15_000)).toBe(0);
        expect(Date.now() - stoppedAt).toBeLessThan(4_000);
        expect(output()).toMatch(/all workers stopped; exiting/);
      } finally {
        child.kill("SIGKILL");
      }
    });

    it("backs off when replacements keep crashing, logs it, and recovers when they stop", async () => {
      const dir = mkdtempSync(join(tmpdir(), "zto-crash-"));
      const crashFile = join(dir, "crash");
      const port = await freePort();
      const { child, output } = run(stageDir, crashingCluster, {
        ...stageEnv,
        PORT: String(port),
        CRASH_FILE: crashFile,
      });
      try {
        const first = Number(
          (await waitFor(() => /ready: worker pid (\d+)/.exec(output()), { what: "ready", output }))[1],
        );
        writeFileSync(crashFile, "");
        process.kill(first, "SIGKILL");
        const watchedFrom = Date.now();
        await waitFor(() => output().includes("next fork in 2 s"), { what: "the second back-off", output });
        const deaths = output().match(/died after/g)?.length ?? 0;
        // without back-off a crashing worker is re-forked every few hundred ms
        expect(deaths).toBeLessThanOrEqual(4);
        expect(Date.now() - watchedFrom).toBeGreaterThanOrEqual(1_000);
        expect(output()).toMatch(/died after [\d.]+ s: exited with code 3/);
        expect(output()).toMatch(
          /crash loop: 2 workers in a row died within 5 s of starting; next fork in 1 s/,
        );

        // no worker is alive during a back-off, so the next fork is the first to see the file gone
        rmSync(crashFile);
        const mark = output().length;
        await waitFor(() => output().slice(mark).includes("is listening, replacing"), {
          what: "the recovery",
          output,
        });
        const res = await fetch(`http://127.0.0.1:${port}/`);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 300));
        expect(output().slice(mark)).not.toMatch(/died after/);
        child.kill("SIGTERM");
        expect(await exitCode(child, 20_000)).toBe(0);
      } finally {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
