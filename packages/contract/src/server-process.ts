import { freePort, requestOnce, startServer, type Cluster } from "@zero-to-one/test-kit";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { overHttp } from "./client.js";
import type { SignIn } from "./sign-in.js";

export interface ServerProcessOptions {
  /** 3 — the server and `npm run seed`; 4 — also `npm run explain` (the index's plans). */
  level: 3 | 4;
  /** The stage folder, with dist/server.js, dist/seed.js (and at level 4 dist/explain.js) built. */
  stageDir: string;
  /** The start-up line the stage prints for a SQLite file named restart.db. */
  startUpLine: RegExp;
  /**
   * 05+: starts the stage's built cluster as a real process with 2 workers, `env` on top of its
   * defaults. Without it the stage is one process, and the suite runs its dist/server.js.
   */
  startCluster?: (env: Record<string, string>) => Promise<Cluster>;
  /** Extra environment for every process, e.g. the throwaway REDIS_URL of a stage with a cache. */
  env?: Record<string, string>;
  /**
   * Stage 08+: how the suite signs in to a server it started; it must be as the account `npm run
   * seed` fills (by default), since the suite counts the seeded todos.
   */
  signIn?: SignIn;
}

/**
 * How long a server that should stop by itself gets before it is killed: a server that starts anyway
 * (a stage that does not check MONGO_URL yet) fails the test instead of blocking the run for good.
 */
const MUST_STOP_MS = 20_000;

/**
 * A stage's processes (03 and after): todos survive a restart, MONGO_URL mistakes stop start-up
 * with a clear reason, and the `npm run seed` and (level 4) `npm run explain` scripts.
 */
export function describeServerProcess(
  label: string,
  { level, stageDir: cwd, startUpLine, startCluster, env: stageEnv = {}, signIn }: ServerProcessOptions,
) {
  const start = startCluster ?? ((env: Record<string, string>) => startServer({ cwd, env }));
  /** The headers of a signed-in client of the server at `url` (none before stage 08). */
  const signedIn = async (url: string) => (signIn ? await signIn(overHttp(url)) : {});
  const dir = mkdtempSync(join(tmpdir(), "zto-process-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const seed = (dbPath: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, ["dist/seed.js", ...args], {
      cwd,
      env: { ...process.env, DB_PATH: dbPath, MONGO_URL: "", ...stageEnv },
      encoding: "utf8",
    });
    return { code: run.status, out: run.stdout + run.stderr };
  };

  // a fresh connection per page: on a busy machine a kept-alive one can meet the server's idle close
  const countTodos = async (url: string, headers: Record<string, string>) => {
    let count = 0;
    for (let start = 0; ; start += 100) {
      const page = JSON.parse(
        (await requestOnce(`${url}/todo?start=${start}&limit=100`, { headers })).body,
      ) as {
        data: unknown[];
      };
      count += page.data.length;
      if (page.data.length < 100) return count;
    }
  };

  describe(`${label}: the server process`, () => {
    it("keeps todos across a restart, which stage 02 could not", async () => {
      const env = { DB_PATH: join(dir, "restart.db"), MONGO_URL: "", ...stageEnv };
      const first = await start(env);
      expect(first.output()).toMatch(startUpLine);
      const res = await fetch(`${first.url}/todo`, {
        method: "POST",
        headers: await signedIn(first.url),
        body: new URLSearchParams({ content: "remember me" }),
      });
      const todo = await res.json();
      expect(await first.stop()).toBe(0);

      const second = await start(env);
      const headers = await signedIn(second.url);
      const id = (todo as { id: string }).id;
      expect(await (await fetch(`${second.url}/todo/${id}`, { headers })).json()).toEqual(todo);
      expect(await second.stop()).toBe(0);
    });

    it("stops with one clear line when MONGO_URL is not a MongoDB URL", () => {
      const run = spawnSync(process.execPath, ["dist/server.js"], {
        cwd,
        env: { ...process.env, MONGO_URL: "http://localhost:27017" },
        encoding: "utf8",
        timeout: MUST_STOP_MS,
      });
      expect(run.status).toBe(1);
      expect(run.stderr.trim()).toMatch(
        /^config error: MONGO_URL="http:\/\/localhost:27017" must start with mongodb:/,
      );
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    });

    const unanswered = async (env: Record<string, string> = {}) => {
      const port = await freePort(); // nothing listens there
      return spawnSync(process.execPath, ["dist/server.js"], {
        cwd,
        env: { ...process.env, MONGO_URL: `mongodb://127.0.0.1:${port}/todo`, ...env, ...stageEnv },
        encoding: "utf8",
        timeout: MUST_STOP_MS,
      });
    };

    if (startCluster) {
      it("stops with exit code 1 and the reason when MongoDB does not answer at MONGO_URL", async () => {
        const run = await unanswered({ WORKERS: "2" });
        expect(run.status).toBe(1);
        // one line from each worker that got as far as trying, then the primary gives up
        const reasons = run.stderr.trim().split("\n");
        expect(reasons.length).toBeGreaterThanOrEqual(1);
        for (const line of reasons)
          expect(line).toMatch(/^cannot open MongoDB \(MONGO_URL\): .*ECONNREFUSED/);
        expect(run.stdout).toMatch(/a worker failed to start .*: stopping/);
        expect(run.stdout).not.toMatch(/listening/);
      });
    } else {
      it("stops with one clear line when MongoDB does not answer at MONGO_URL", async () => {
        const run = await unanswered();
        expect(run.status).toBe(1);
        expect(run.stderr.trim()).toMatch(/^cannot open MongoDB \(MONGO_URL\): .*ECONNREFUSED/);
        expect(run.stderr.trim().split("\n")).toHaveLength(1);
        expect(run.stdout).not.toMatch(/listening/);
      });
    }
  });

  // several seed runs, each a process; without Redis the stages 06+ wait a second for it in each
  describe(`${label}: npm run seed`, { timeout: 90_000 }, () => {
    it("fills the store with a progress bar, idempotently, keeping todos made through the API unless --reset", async () => {
      const dbPath = join(dir, "seed.db");
      const first = seed(dbPath, "--count", "1500");
      expect(first.code, first.out).toBe(0);
      expect(first.out).toMatch(/seeding sqlite at .*seed\.db .*100% 1,500\/1,500 done in/);

      expect(seed(dbPath, "--count", "1500").out).toMatch(/already holds 1,500 seeded todos/);

      const server = await start({ DB_PATH: dbPath, MONGO_URL: "", ...stageEnv });
      try {
        const headers = await signedIn(server.url);
        expect(await countTodos(server.url, headers)).toBe(1500);
        const mine = await fetch(`${server.url}/todo`, {
          method: "POST",
          headers,
          body: new URLSearchParams({ content: "mine" }),
        });
        const location = mine.headers.get("location")!;
        expect(seed(dbPath, "--count", "700").code).toBe(0);
        expect(await countTodos(server.url, headers)).toBe(701);
        expect((await fetch(server.url + location, { headers })).status).toBe(200);

        expect(seed(dbPath, "--count", "200", "--reset").code).toBe(0);
        expect(await countTodos(server.url, headers)).toBe(200);
      } finally {
        await server.stop();
      }
    });

    it.each([
      [["--count", "lots"], /--count="lots" is not valid/],
      [["--count", "-5"], /--count|argument/],
      [["--size", "5"], /Unknown option '--size'[\s\S]*usage: npm run seed/],
    ])("refuses %j with a clear message and exit code 1", (args, message) => {
      const run = seed(join(dir, "never.db"), ...args);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(message);
    });
  });

  if (level >= 4) {
    describe(`${label}: npm run explain`, () => {
      it("prints the first page's plan without the index (a sort) and with it (an index walk)", () => {
        const dbPath = join(dir, "explain.db");
        expect(seed(dbPath, "--count", "3000").code).toBe(0);
        const run = spawnSync(process.execPath, ["dist/explain.js"], {
          cwd,
          env: { ...process.env, DB_PATH: dbPath, MONGO_URL: "", ...stageEnv },
          encoding: "utf8",
        });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/3,000 todos/);
        expect(run.stdout).toMatch(
          /without the index[^\n]*\n\s+SCAN todos\n\s+USE TEMP B-TREE FOR ORDER BY\n\s+median/,
        );
        expect(run.stdout).toMatch(
          /with the index todos_newest_first:\n\s+SCAN todos USING INDEX todos_newest_first\n/,
        );
        expect(run.stdout).toMatch(/by offset \(start=2990\)[\s\S]*by cursor/);
      });
    });
  }
}
