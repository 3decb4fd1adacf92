import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MONGO_SKIPPED, startTestMongo } from "@zero-to-one/test-kit";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TourResults } from "../src/results.js";
import { discoverStages, launch } from "../src/targets.js";

const bench = new URL("..", import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), "zto-bench-mongo-"));
const probe = await startTestMongo();
if (probe.skipped !== undefined) console.log(`skipped: the --store mongo tour: ${probe.skipped}`);
const server = probe.skipped === undefined ? probe.server : undefined;
afterAll(async () => {
  if (probe.skipped === undefined) await probe.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Tour {
  status: number | null;
  stdout: string;
  stderr: string;
}

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Tour> {
  const child = spawn(process.execPath, ["dist/cli.js", ...args], {
    cwd: bench,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 150_000,
  });
  const run: Tour = { status: null, stdout: "", stderr: "" };
  child.stdout.on("data", (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (run.stderr += chunk.toString()));
  [run.status] = (await once(child, "exit")) as [number | null];
  return run;
}

describe.skipIf(probe.skipped !== undefined)(
  `--store mongo on ${server?.label ?? "no server"} (stages 03 and 04, autocannon, 1 s)`,
  () => {
    const docsDir = join(tmp, "docs");
    const resultsDir = join(tmp, "results");
    let tour: Tour;
    beforeAll(async () => {
      mkdirSync(docsDir);
      // MONGO_URL as the user has it: unset, the tour starts a throwaway server of its own
      const args = ["--store", "mongo", "--stages", "03,04", "--duration", "1", "--rounds", "1"];
      args.push("--warmup", "0", "--rows", "200", "--connections", "10", "--tool", "autocannon");
      args.push("--no-flask", "--results-dir", resultsDir, "--docs-dir", docsDir);
      tour = await runCli(args, process.env);
    }, 160_000);
    const results = () => JSON.parse(readFileSync(join(resultsDir, "latest.json"), "utf8")) as TourResults;
    const named = `${server?.label}${server?.product === "FerretDB" ? " — not MongoDB" : ""}`;

    it("measures every scenario of both stages, each on a database of its own", () => {
      expect(tour.status, tour.stderr).toBe(0);
      const r = results();
      expect(r.failures).toEqual([]);
      const measured = (id: string) => r.runs.filter((run) => run.target === id).map((run) => run.scenario);
      expect(measured("03-mongo")).toEqual(["hello", "list", "list-deep-offset", "mixed", "create"]);
      expect(measured("04-index")).toEqual([
        "hello",
        "list",
        "list-deep-offset",
        "list-deep-keyset",
        "mixed",
        "create",
      ]);
      for (const [id, db] of [
        ["03-mongo", "zto_bench_03_mongo"],
        ["04-index", "zto_bench_04_index"],
      ]) {
        expect(r.targets.find((t) => t.id === id)?.startup).toMatch(
          new RegExp(`store: mongo at mongodb://.*/${db}\\b`),
        );
      }
    });

    it("names the server and its version in the results, the first lines and the table", () => {
      expect(results().settings.store).toEqual({
        kind: "mongo",
        product: server?.product,
        version: server?.version,
        label: server?.label,
        from: process.env["MONGO_URL"] ? "MONGO_URL" : "throwaway",
      });
      expect(tour.stderr).toContain(`--store mongo: stages 03+ on ${named} (`);
      expect(tour.stdout).toMatch(
        new RegExp(`\\nstages 03\\+ on ${named.replace(/[()]/g, "\\$&")} \\(.*\\)\\nscenario\\s+server`),
      );
    });

    it("leaves the docs alone, as a --store mongo tour does without --docs", () => {
      expect(readdirSync(docsDir)).toEqual([]);
      expect(tour.stdout.trimEnd().split("\n").at(-1)).toMatch(
        /left alone: not a full default tour \(.*--store mongo\)/,
      );
    });
  },
);

describe.skipIf(probe.skipped !== undefined)("a stage's database on the tour's server", () => {
  it("is seeded like the SQLite file and dropped when the stage stops", async () => {
    const target = discoverStages([3]).stages[0]!;
    const running = await launch(target, { rows: 20, workers: 1, mongoUrl: probe.url! });
    const client = new MongoClient(probe.url!, { serverSelectionTimeoutMS: 5_000 });
    try {
      const db = client.db("zto_bench_03_mongo");
      expect(await db.collection("todos").countDocuments()).toBe(20);
      expect(((await (await fetch(`${running.url}/todo`)).json()) as { data: unknown[] }).data).toHaveLength(
        10,
      );
      await running.stop();
      const names = (await client.db().admin().listDatabases()).databases.map((d) => d.name);
      expect(names).not.toContain("zto_bench_03_mongo");
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe("--store mongo without a MongoDB-wire server", () => {
  it("stops with one line that says how to get one", async () => {
    // no MONGO_URL, nothing on PATH (no ferretdb), and no mongod for mongodb-memory-server
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PATH: tmp,
      MONGOMS_SYSTEM_BINARY: "/nonexistent/mongod",
    };
    delete env["MONGO_URL"];
    const run = await runCli(["--store", "mongo", "--stages", "03"], env);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`tour: --store mongo needs a MongoDB-wire server: ${MONGO_SKIPPED}\n`);
    expect(MONGO_SKIPPED).toMatch(/MONGO_URL.*FerretDB.*npm run doctor/);
  }, 30_000);
});
