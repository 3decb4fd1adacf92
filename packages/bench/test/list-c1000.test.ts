import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxConfigOn, requestOnce, startServer } from "@zero-to-one/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFilesProblem } from "../src/open-files.js";
import { SCENARIO_NAMES, scenarioNamed } from "../src/scenarios.js";
import { discoverStages } from "../src/targets.js";
import { type Tour, runTour } from "./run-node.js";
import { complaintsIn, startStageNginx } from "../src/through-nginx.js";

const bench = new URL("..", import.meta.url).pathname;
const stages = join(bench, "..", "..", "stages");
const nginxMissing = spawnSync("nginx", ["-v"]).error !== undefined;
if (nginxMissing) console.log("skipped: list-c1000 through nginx needs nginx (apt-get install nginx-light)");
const wrkMissing = spawnSync("wrk", ["-v"]).error !== undefined;
if (wrkMissing) console.log("skipped: list-c1000 with wrk needs wrk (apt-get install wrk)");

describe("the list-c1000 scenario", () => {
  it("is the article's load from nginx on: the first page, 1,000 connections, through nginx, from stage 05", () => {
    const scenario = scenarioNamed("list-c1000");
    expect(SCENARIO_NAMES).toContain("list-c1000");
    expect(scenario).toMatchObject({ fromStage: 5, connections: 1_000, throughNginx: true });
    expect(scenario!.plan({ rows: 10, deepStart: 10, deepCursor: null, ids: [] })).toEqual([
      { method: "GET", path: "/todo" },
    ]);
    const { stages: built } = discoverStages([4, 5, 6, 7]);
    for (const stage of built) {
      expect(stage.scenarios.includes("list-c1000"), stage.id).toBe(stage.stage >= 5);
    }
  });
});

describe("a stage's nginx.conf moved to other ports", () => {
  const original = readFileSync(join(stages, "05-cluster", "nginx.conf"), "utf8");

  it("changes the two ports and nothing else", () => {
    const moved = nginxConfigOn(original, { listen: 41001, upstream: 41002 });
    const before = original.split("\n");
    const after = moved.split("\n");
    expect(after).toHaveLength(before.length);
    const changed = before.flatMap((line, i) => (line === after[i] ? [] : [[line.trim(), after[i]!.trim()]]));
    expect(changed).toEqual([
      ["server 127.0.0.1:8000;", "server 127.0.0.1:41002;"],
      ["listen 127.0.0.1:8888;", "listen 127.0.0.1:41001;"],
    ]);
  });

  it("refuses a config without the stage's two lines rather than run nginx on the wrong ports", () => {
    expect(() =>
      nginxConfigOn(original.replace("listen 127.0.0.1:8888;", "listen 8888;"), { listen: 1, upstream: 2 }),
    ).toThrow("nginx.conf no longer has `listen 127.0.0.1:8888;` and `server 127.0.0.1:8000;`");
  });
});

describe("open files for 1,000 connections", () => {
  it("autocannon counts this process's soft limit, wrk and k6 the hard limit they can raise theirs to", () => {
    const low = { soft: 1_024, hard: 1_048_576 };
    expect(openFilesProblem("autocannon", 1_000, low)).toBe(
      "1,000 connections need about 1,256 open files and autocannon may open 1,024 " +
        "(ulimit -n of the tour's own process): raise it, e.g. ulimit -n 4096",
    );
    expect(openFilesProblem("wrk", 1_000, low)).toBeUndefined();
    expect(openFilesProblem("k6", 1_000, { soft: 1_024, hard: 1_024 })).toMatch(
      /k6 may open 1,024 \(ulimit -Hn\)/,
    );
    expect(openFilesProblem("autocannon", 1_000, { soft: Infinity, hard: Infinity })).toBeUndefined();
    expect(openFilesProblem("autocannon", 100, low)).toBeUndefined();
  });
});

describe("what nginx logged, in one line", () => {
  it("names the most frequent message, how often, and how many others", () => {
    const log = [
      "2026/11/28 22:21:18 [alert] 22297#22297: 1024 worker_connections are not enough",
      "2026/11/28 22:21:18 [alert] 22297#22297: 1024 worker_connections are not enough",
      '2026/11/28 22:21:19 [alert] 22298#22298: *913 1024 worker_connections are not enough while connecting to upstream, client: 127.0.0.1, server: , request: "GET /todo HTTP/1.1"',
      "2026/11/28 22:21:19 [warn] 22298#22298: 1024 worker_connections are not enough, reusing connections",
      "",
    ].join("\n");
    expect(complaintsIn(log)).toBe(
      "[alert] 1024 worker_connections are not enough (×2), and 2 other message(s)",
    );
    expect(complaintsIn("")).toBeUndefined();
  });
});

describe.skipIf(nginxMissing)("nginx in front of stage 05, as the tour starts it", () => {
  const dir = mkdtempSync(join(tmpdir(), "zto-bench-c1000-"));
  let cluster: Awaited<ReturnType<typeof startServer>>;
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("passes requests to the stage, which sees the client nginx saw (its X-Forwarded-For)", async () => {
    cluster = await startServer({
      cwd: join(stages, "05-cluster"),
      env: { DB_PATH: join(dir, "todo.db"), MONGO_URL: "", WORKERS: "2" },
      timeoutMs: 30_000,
    });
    const nginx = await startStageNginx(join(stages, "05-cluster"), cluster.url);
    try {
      expect(nginx.url).not.toBe(cluster.url);
      expect(nginx.via).toMatch(/^nginx\/\d/);
      // from 127.0.0.2, as if from another machine: only nginx's X-Forwarded-For tells the app so
      const reply = await requestOnce(`${nginx.url}/healthz`, { localAddress: "127.0.0.2" });
      expect(reply.status).toBe(200);
      expect(reply.headers["server"]).toBe(nginx.via);
      expect(JSON.parse(reply.body)).toMatchObject({ status: "ok", client: "127.0.0.2" });
    } finally {
      await nginx.stop();
    }
    expect(nginx.complaints()).toBeUndefined();
  }, 60_000);
});

const tour = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  runTour(["--stages", "05", ...args], { env, timeoutMs: 110_000 });

describe.skipIf(nginxMissing)("a tour of list-c1000 on stage 05 (1 s, one round)", () => {
  describe.each([
    { tool: "autocannon", skip: false },
    { tool: "wrk", skip: wrkMissing },
  ])("with $tool", ({ tool, skip }) => {
    let run: Tour;
    beforeAll(async () => {
      if (!skip) run = await tour(["--tool", tool, "--scenarios", "list-c1000"]);
    }, 120_000);

    it.skipIf(skip)(
      "measures stage 05 through nginx at 1,000 connections, whatever --connections says",
      () => {
        expect(run.status, run.stderr).toBe(0);
        expect(run.stderr).toContain("at 100 connections (list-c1000 at 1000 connections through nginx)");
        const r = run.results!;
        expect(r.failures).toEqual([]);
        expect(r.skipped).toEqual([]);
        expect(r.runs.map((x) => `${x.target} ${x.scenario}`)).toEqual(["05-cluster list-c1000"]);
        const [measured] = r.runs;
        expect(measured!.connections).toBe(1_000);
        // nginx's Server header on the stage's own /healthz answer, read through it before measuring
        expect(measured!.via).toMatch(/^nginx\/\d/);
        expect(measured!.requests).toBeGreaterThan(0);
      },
    );

    it.skipIf(skip)("has no errors and no non-2xx with the stage's nginx.conf", () => {
      const [measured] = run.results!.runs;
      expect({ errors: measured!.errors, non2xx: measured!.non2xx }).toEqual({ errors: 0, non2xx: 0 });
      expect(run.stderr).not.toContain("nginx logged");
      expect(run.stdout).toMatch(/list-c1000 +05-cluster +[\d,]+ +[\d.]+ +[\d.]+ +0 \/ 0/);
    });
  });
});

describe("a tour of list-c1000 without nginx", () => {
  it("leaves the scenario out with one line and measures the rest", async () => {
    const empty = mkdtempSync(join(tmpdir(), "zto-bench-no-nginx-"));
    try {
      const args = ["--tool", "autocannon", "--scenarios", "hello,list-c1000", "--warmup", "0"];
      const run = await tour([...args, "--connections", "10"], { ...process.env, PATH: empty });
      expect(run.status, run.stderr).toBe(0);
      const reason = "nginx is not installed (apt-get install nginx-light)";
      expect(run.stderr.split("\n").filter((line) => line.includes("list-c1000"))).toEqual([
        `skipped list-c1000: ${reason}`,
      ]);
      expect(run.stdout.split("\n").filter((line) => line.includes("list-c1000  skipped"))).toEqual([
        `list-c1000  skipped: ${reason}`,
      ]);
      const r = run.results!;
      expect(r.skipped).toEqual([{ id: "list-c1000", reason }]);
      expect(r.runs.map((x) => `${x.target} ${x.scenario}`).sort()).toEqual([
        "05-cluster hello",
        "ref-hello hello",
      ]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 120_000);
});
