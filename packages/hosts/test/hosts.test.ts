import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { MongoClient } from "mongodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ask,
  collectionsOn,
  cpuCapOf,
  delayOf,
  down,
  ferretUrl,
  healthzThroughEvery,
  hostPids,
  hostsWithRole,
  killHost,
  linkDown,
  linkUp,
  netemProblem,
  ourLinks,
  ourNamespaces,
  PUBLIC_URL,
  readSecrets,
  redisPrimary,
  runIn,
  sentinelView,
  servedRequests,
  startHost,
  STATE_DIR,
  stopHost,
  up,
  upProblem,
} from "../src/index.js";
import { cgroupOf, ourCgroups } from "../src/cgroup.js";

const CPU = 0.5;
const problem = await upProblem({ apiHosts: 3, cpu: CPU });
if (problem) console.log(`skipped: several hosts on this machine: ${problem}`);
const noNetem = problem ? undefined : await netemProblem();
if (noNetem) console.log(`skipped: --delay on the hosts' links: ${noNetem}`);

const apis = hostsWithRole("api").map((h) => h.name);
const json = (body: unknown) => ({
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** Every process whose command line names the state folder: what `down` must leave none of. */
const processesOfTheState = () =>
  readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(STATE_DIR);
      } catch {
        return false;
      }
    });

const eventually = async (check: () => Promise<void>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(200);
    }
  }
};

describe.skipIf(problem)("npm run hosts -- up, interrupted", () => {
  it("takes down what it made when Ctrl-C comes while it starts", async () => {
    const cli = spawn(
      process.execPath,
      ["--import", "tsx", new URL("../src/cli.ts", import.meta.url).pathname, "up", "--api", "1"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    cli.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.once("exit", resolve));
    await eventually(async () => {
      if (!/redis\d redis ready/.test(output)) throw new Error(`not that far yet:\n${output}`);
    }, 60_000);
    expect(await ourNamespaces()).not.toEqual([]);
    cli.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(output).toContain("interrupted: taking down what was made");
    expect(await ourNamespaces()).toEqual([]);
    expect(await ourLinks()).toEqual([]);
    expect(processesOfTheState()).toEqual([]);
  }, 120_000);
});

describe.skipIf(problem)("three API hosts behind a load balancer", () => {
  beforeAll(async () => {
    await up({ apiHosts: 3, cpu: CPU, delayMs: noNetem ? undefined : 1 });
  }, 300_000);
  afterAll(async () => {
    await down();
  }, 120_000);

  it("answers /healthz through the lb from every API host", async () => {
    await eventually(() => healthzThroughEvery(apis), 10_000);
    for (const api of apis) {
      const host = hostsWithRole("api").find((h) => h.name === api);
      expect((await ask(`http://${host?.address}:8000/healthz`)).status).toBe(200);
    }
    // a stage that names the host it runs on says which one answered
    const answer = await ask(`${PUBLIC_URL}/healthz`);
    const servedBy = answer.headers["x-served-by"];
    if (servedBy !== undefined) expect(apis).toContain(servedBy);
  }, 30_000);

  it("has the sentinels agree on one primary and two healthy replicas", async () => {
    const { redisPassword } = readSecrets();
    for (const redis of hostsWithRole("redis")) {
      const view = await sentinelView(redis.address, redisPassword);
      expect(view.primary).toBe("10.77.0.31:6379");
      expect(view.replicas.map((r) => r.address).sort()).toEqual(["10.77.0.32:6379", "10.77.0.33:6379"]);
      expect(view.replicas.every((r) => r.link === "ok")).toBe(true);
      expect(view.otherSentinels).toBe(2);
    }
    expect(await redisPrimary(redisPassword)).toEqual({ host: "redis1", address: "10.77.0.31", port: 6379 });
  }, 20_000);

  it("reads back through the lb what was written through it, also from the standby", async () => {
    const credentials = { username: `hosts${Date.now()}`, password: "correct horse battery staple" };
    expect((await ask(`${PUBLIC_URL}/signup`, { method: "POST", ...json(credentials) })).status).toBe(201);
    const token = JSON.parse(
      (await ask(`${PUBLIC_URL}/tokens`, { method: "POST", ...json(credentials) })).body,
    ).token;
    const auth = { authorization: `Bearer ${token}` };
    const created = await ask(`${PUBLIC_URL}/todo`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ content: "written through the lb" }),
    });
    expect(created.status).toBe(201);
    const { id } = JSON.parse(created.body);
    // each read may go to another API host; a replica may lag a moment behind the primary
    for (let i = 0; i < apis.length; i++) {
      await eventually(async () => {
        const read = await ask(`${PUBLIC_URL}/todo/${id}`, { headers: auth });
        expect(read.status).toBe(200);
        expect(JSON.parse(read.body).content).toBe("written through the lb");
      }, 5_000);
    }
    expect(await collectionsOn("db2")).toContain("todos");
    const standby = new MongoClient(ferretUrl("db2"), { serverSelectionTimeoutMS: 2_000 });
    try {
      await eventually(async () => {
        expect(
          await standby.db().collection("todos").countDocuments({ content: "written through the lb" }),
        ).toBe(1);
      }, 5_000);
    } finally {
      await standby.close();
    }
  }, 60_000);

  it(`caps every API host at ${CPU} of a core, with all its processes in the cap`, async () => {
    for (const api of apis) {
      expect(cpuCapOf(api)).toBe(CPU);
      const capped = readFileSync(`${cgroupOf(api)}/cgroup.procs`, "utf8")
        .split("\n")
        .filter(Boolean)
        .map(Number);
      const pids = await hostPids(api);
      expect(pids.length).toBeGreaterThanOrEqual(2); // the cluster's primary and its worker
      expect(capped.sort()).toEqual(pids.sort());
    }
  }, 20_000);

  it.skipIf(noNetem === undefined)("refuses --delay where the kernel has no netem, saying so", async () => {
    await expect(up({ apiHosts: 1, delayMs: 5 })).rejects.toThrow(/--delay: tc netem is not available/);
  });

  it.skipIf(noNetem !== undefined)("delays every host's link by --delay", async () => {
    for (const host of ["lb", ...apis]) expect(await delayOf(host)).toBe(1);
  });

  it("refuses a second up while this one is up, making nothing", async () => {
    const before = await ourNamespaces();
    await expect(up({ apiHosts: 1 })).rejects.toThrow(/the hosts are up already/);
    expect(await ourNamespaces()).toEqual(before);
  });

  it("runs a command inside a host, on that host's network", async () => {
    const ran = await runIn("api2", ["ip", "-o", "-4", "addr", "show", "dev", "eth0"]);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain("10.77.0.12/24");
  });

  it("makes a host unreachable with its link down, and reachable again with it up", async () => {
    await linkDown("api2");
    try {
      await expect(ask("http://10.77.0.12:8000/healthz", { timeoutMs: 1_000 })).rejects.toThrow();
      // the lb goes on to the other hosts: reads keep working (one that went out on a connection to
      // api2 already open waits for proxy_read_timeout, 10 s, first)
      for (let i = 0; i < 6; i++)
        expect((await ask(`${PUBLIC_URL}/index`, { timeoutMs: 20_000 })).status).toBe(200);
      expect(
        servedRequests().some((r) => r.path === "/index" && r.hosts.length > 1 && r.hosts[0] === "api2"),
      ).toBe(true);
    } finally {
      await linkUp("api2");
    }
    await eventually(
      async () => expect((await ask("http://10.77.0.12:8000/healthz")).status).toBe(200),
      10_000,
    );
  }, 120_000);

  it("kills a host's processes with kill -9, and starts them again", async () => {
    const before = await hostPids("worker2");
    expect(before.length).toBeGreaterThan(0);
    expect((await killHost("worker2")).sort()).toEqual(before.sort());
    expect(await hostPids("worker2")).toEqual([]);
    await startHost("worker2");
    expect((await hostPids("worker2")).length).toBeGreaterThan(0);
  }, 90_000);

  it("stops a host as a shutdown does, and the lb serves on without it", async () => {
    await stopHost("api3");
    expect(await hostPids("api3")).toEqual([]);
    for (let i = 0; i < 6; i++)
      expect((await ask(`${PUBLIC_URL}/index`, { timeoutMs: 5_000 })).status).toBe(200);
    await startHost("api3");
    // fail_timeout (10 s) may keep the lb off api3 for a while after the failures it saw
    await eventually(() => healthzThroughEvery(["api3"]), 20_000);
  }, 90_000);

  it("leaves no namespace, link, cgroup or process behind when it goes down", async () => {
    const pids = (await Promise.all([...(await ourNamespaces())].map((ns) => hostPids(ns.slice(4))))).flat();
    expect(pids.length).toBeGreaterThan(10);
    const report = await down();
    expect(report.problems).toEqual([]);
    expect(await ourNamespaces()).toEqual([]);
    expect(await ourLinks()).toEqual([]);
    expect(ourCgroups()).toEqual([]);
    const alive = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
    expect(processesOfTheState()).toEqual([]);
  }, 60_000);
});
