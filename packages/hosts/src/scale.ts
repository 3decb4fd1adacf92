import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { median } from "@zero-to-one/bench/dist/results.js";
import { scenarioNamed, type Facts } from "@zero-to-one/bench/dist/scenarios.js";
import { autocannonTool } from "@zero-to-one/bench/dist/tools/autocannon.js";
import { cpuCapOf, throttledPeriods } from "./cgroup.js";
import { down } from "./down.js";
import { cpuUsedBetween, hostCpu, machineBusySeconds } from "./host-cpu.js";
import { ask } from "./http.js";
import { reloadLb, writeLbConfig } from "./lb.js";
import { signUp } from "./load.js";
import { machine } from "./machine.js";
import { netemProblem } from "./netem.js";
import { ourNamespaces } from "./network.js";
import { stageDir } from "./stage.js";
import { readState, STATE_DIR } from "./state.js";
import { HOSTS, hostsWithRole, MAX_API_HOSTS, PUBLIC_URL } from "./topology.js";
import { Refused, up } from "./up.js";
import { waitUntil } from "./wait.js";

export const SCALE_RESULTS = join(STATE_DIR, "scale", "latest.json");

/** The bench tour's scenarios it measures: the first page signed in, and its write mix. */
export const SCALE_SCENARIOS = ["list", "mixed"] as const;
export type ScaleScenario = (typeof SCALE_SCENARIOS)[number];

export interface ScaleOptions {
  /** Each API host's CPU cap, in cores: the same for every host, so more hosts can add capacity. */
  cpu?: number;
  durationSec?: number;
  rounds?: number;
  connections?: number;
  progress?: (line: string) => void;
  signal?: AbortSignal;
}

export interface ScaleRun {
  round: number;
  apiHosts: number;
  scenario: ScaleScenario;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

export interface ScaleRow {
  apiHosts: number;
  scenario: ScaleScenario;
  /** The median over the rounds. */
  requestsPerSec: number;
  p99Ms: number;
  /** Against the same scenario with one API host. */
  ratio: number;
  errors: number;
  non2xx: number;
}

/** Where the CPU went during one scenario's runs with every API host, and what that says. */
export interface ScenarioCpu {
  scenario: ScaleScenario;
  /** Each part's share, busiest first. */
  shares: CpuShare[];
  /** The whole machine's, other users' work included. */
  machineBusyCores: number;
  bottleneck: string;
}

export interface CpuShare {
  part: string;
  /** Cores used on average while the load ran with every API host. */
  cores: number;
  cap?: number;
}

export interface ScaleResults {
  when: string;
  stage: string;
  tool: string;
  cpuCap: number;
  durationSec: number;
  rounds: number;
  connections: number;
  /** What ran it all: every host shares these cores. */
  cores: number;
  cpuModel: string;
  node: string;
  /** Each API host's cap as its cgroup says, and how often the cap held it back during the runs. */
  caps: Record<string, number | undefined>;
  throttledPeriods: Record<string, number>;
  delay: string;
  runs: ScaleRun[];
  rows: ScaleRow[];
  /** One per scenario: a read load and a write mix lean on different parts. */
  cpuWithAllHosts: ScenarioCpu[];
}

const apiNames = hostsWithRole("api").map((h) => h.name);
const LOAD_GENERATOR = "load generator";

/**
 * req/s through the lb with 1, 2 and 3 API hosts, each capped at the same CPU, in rounds that
 * alternate the configurations (1 2 3, 1 2 3, …) so a machine that gets busier or quieter during the
 * run weighs on each alike. One topology with every API host: a configuration is the lb's upstream
 * list, changed with an nginx reload. The load is the bench tour's autocannon runner, from this
 * machine, so nginx's limit_req rates are raised (one address sends it all).
 */
export async function measureScale({
  cpu = 0.4,
  durationSec = 8,
  rounds = 3,
  connections = 16,
  progress = () => {},
  signal,
}: ScaleOptions = {}): Promise<ScaleResults> {
  if ((await ourNamespaces()).length > 0) {
    throw new Refused("scale makes its own topology, and one is up: npm run hosts -- down first");
  }
  const noNetem = await netemProblem();
  try {
    await up({ apiHosts: MAX_API_HOSTS, cpu, raiseLimits: true, progress, signal });
  } catch (error) {
    if (!(error instanceof Refused)) await down();
    throw error;
  }
  try {
    const stage = readState()!.stage;
    // an account per configuration: the write mix adds todos, and the first page costs FerretDB more
    // the more todos an account has, so a shared account would make each later configuration pay
    const clients = new Map<number, { headers: Record<string, string>; facts: Facts }>();
    for (let apiHosts = 1; apiHosts <= MAX_API_HOSTS; apiHosts++) {
      clients.set(apiHosts, await scaleClient(`scale-${Date.now().toString(36)}-${apiHosts}`));
    }
    const throttledBefore = Object.fromEntries(apiNames.map((a) => [a, throttledPeriods(a) ?? 0]));

    const runs: ScaleRun[] = [];
    const cpuUse = new Map(
      SCALE_SCENARIOS.map((scenario) => [
        scenario,
        { seconds: new Map<string, number>(), wall: 0, machineBusy: 0 },
      ]),
    );
    for (let round = 1; round <= rounds; round++) {
      for (let apiHosts = 1; apiHosts <= MAX_API_HOSTS; apiHosts++) {
        await useApiHosts(stage, apiHosts);
        for (const scenario of SCALE_SCENARIOS) {
          const { headers, facts } = clients.get(apiHosts)!;
          const plan = scenarioNamed(scenario)!.plan(facts);
          const measuring = apiHosts === MAX_API_HOSTS ? await cpuSnapshot() : undefined;
          const measured = await autocannonTool.run({
            baseUrl: PUBLIC_URL,
            scenario,
            facts,
            requests: plan,
            durationSec,
            connections,
            headers,
          });
          if (measuring) {
            const after = await cpuSnapshot();
            const used = cpuUse.get(scenario)!;
            used.wall += (after.at - measuring.at) / 1000;
            used.machineBusy += after.machine - measuring.machine;
            const add = (part: string, seconds: number) =>
              used.seconds.set(part, (used.seconds.get(part) ?? 0) + seconds);
            add(LOAD_GENERATOR, after.own - measuring.own);
            for (const [host, processes] of after.hosts) {
              for (const [program, seconds] of cpuUsedBetween(measuring.hosts.get(host)!, processes)) {
                add(`${host} ${program}`, seconds);
              }
            }
          }
          runs.push({
            round,
            apiHosts,
            scenario,
            requestsPerSec: Math.round(measured.requestsPerSec),
            p50Ms: measured.p50Ms,
            p99Ms: measured.p99Ms,
            errors: measured.errors,
            non2xx: measured.non2xx,
          });
          progress(
            `round ${round}/${rounds}, ${apiHosts} API host${apiHosts > 1 ? "s" : ""}, ${scenario}: ` +
              `${Math.round(measured.requestsPerSec)} req/s, p99 ${measured.p99Ms} ms` +
              (measured.errors + measured.non2xx > 0
                ? `, ${measured.errors} errors, ${measured.non2xx} non-2xx`
                : ""),
          );
        }
      }
    }

    const rows = summarize(runs);
    const cpuWithAllHosts = [...cpuUse].map(([scenario, used]): ScenarioCpu => {
      const shares: CpuShare[] = [...used.seconds]
        .map(([part, seconds]) => ({
          part,
          cores: Math.round((seconds / used.wall) * 100) / 100,
          ...(apiNames.includes(part.split(" ")[0]!) ? { cap: cpuCapOf(part.split(" ")[0]!) } : {}),
        }))
        .sort((a, b) => b.cores - a.cores);
      const machineBusyCores = Math.round((used.machineBusy / used.wall) * 100) / 100;
      return { scenario, shares, machineBusyCores, bottleneck: bottleneckOf(shares, machineBusyCores) };
    });
    const results: ScaleResults = {
      when: new Date().toISOString(),
      stage,
      tool: autocannonTool.version,
      cpuCap: cpu,
      durationSec,
      rounds,
      connections,
      ...machine(),
      caps: Object.fromEntries(apiNames.map((a) => [a, cpuCapOf(a)])),
      throttledPeriods: Object.fromEntries(
        apiNames.map((a) => [a, (throttledPeriods(a) ?? 0) - (throttledBefore[a] ?? 0)]),
      ),
      delay: noNetem
        ? "no added latency between hosts: this kernel has no netem"
        : "no added latency between hosts (--delay is not used here)",
      runs,
      rows,
      cpuWithAllHosts,
    };
    mkdirSync(join(STATE_DIR, "scale"), { recursive: true });
    writeFileSync(SCALE_RESULTS, JSON.stringify(results, null, 2) + "\n");
    return results;
  } finally {
    progress("taking the topology down");
    await down();
  }
}

/** A signed-in client with 10 todos, as the tour's facts for its scenarios. */
async function scaleClient(username: string) {
  const account = await signUp(username);
  const headers = { authorization: account.authorization };
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const made = await ask(`${PUBLIC_URL}/todo`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ content: `todo ${i + 1} of ${username}` }),
    });
    if (made.status !== 201) throw new Error(`POST /todo for ${username}: ${made.status}`);
    ids.push((JSON.parse(made.body) as { id: string }).id);
  }
  const facts: Facts = { rows: ids.length, deepStart: 0, deepCursor: null, ids };
  return { headers, facts };
}

/** The lb's upstreams become the first `count` API hosts; it serves through those alone from then on. */
async function useApiHosts(stage: string, count: number) {
  const chosen = hostsWithRole("api").slice(0, count);
  writeLbConfig(stageDir(stage), chosen, { raiseLimits: true });
  await reloadLb();
  const names = chosen.map((h) => h.name);
  // the old workers finish what they hold and leave; new connections go to the new ones
  await waitUntil(
    async () => {
      for (let i = 0; i < 2 * MAX_API_HOSTS; i++) {
        const by = (await ask(`${PUBLIC_URL}/healthz`)).headers["x-served-by"];
        if (!names.includes(String(by))) throw new Error(`/healthz answered by ${String(by)}`);
      }
    },
    { part: `the lb with ${names.join(", ")}`, timeoutMs: 20_000 },
  );
}

/** CPU time so far of every host's processes, of this process (the load generator) and of the machine. */
async function cpuSnapshot() {
  const hosts = new Map<string, Awaited<ReturnType<typeof hostCpu>>>();
  for (const host of HOSTS) hosts.set(host.name, await hostCpu(host.name));
  const own = process.cpuUsage();
  return { at: Date.now(), hosts, own: (own.user + own.system) / 1e6, machine: machineBusySeconds() };
}

function summarize(runs: readonly ScaleRun[]): ScaleRow[] {
  const rows: ScaleRow[] = [];
  for (const scenario of SCALE_SCENARIOS) {
    let one = Number.NaN;
    for (let apiHosts = 1; apiHosts <= MAX_API_HOSTS; apiHosts++) {
      const mine = runs.filter((r) => r.scenario === scenario && r.apiHosts === apiHosts);
      const requestsPerSec = median(mine.map((r) => r.requestsPerSec));
      if (apiHosts === 1) one = requestsPerSec;
      rows.push({
        apiHosts,
        scenario,
        requestsPerSec,
        p99Ms: median(mine.map((r) => r.p99Ms)),
        ratio: Math.round((requestsPerSec / one) * 100) / 100,
        errors: mine.reduce((sum, r) => sum + r.errors, 0),
        non2xx: mine.reduce((sum, r) => sum + r.non2xx, 0),
      });
    }
  }
  return rows;
}

/** Where the next limit is: the busiest part the API hosts' caps do not hold, or the machine itself. */
function bottleneckOf(shares: readonly CpuShare[], machineBusy: number): string {
  const cores = availableParallelism();
  const generator = shares.find((s) => s.part === LOAD_GENERATOR);
  const busiest = shares.find((s) => s.cap === undefined && s !== generator);
  const apis = shares.filter((s) => s.cap !== undefined);
  const atCap = apis.filter((s) => s.cap !== undefined && s.cores >= 0.9 * s.cap);
  const lines = [
    `with ${apis.length} API hosts, ${atCap.length} ran at their cap (${apis.map((s) => `${s.part} ${s.cores}/${s.cap}`).join(", ")} cores)`,
    busiest ? `the busiest part beside them: ${busiest.part}, ${busiest.cores} cores` : "",
    generator ? `the load generator (this machine's autocannon) used ${generator.cores} cores` : "",
    `the machine was ${Math.round((machineBusy / cores) * 100)}% busy (${machineBusy} of ${cores} cores, other users' work included)`,
  ];
  if (machineBusy >= 0.85 * cores)
    lines.push(
      "the machine's own cores are the next bottleneck: another API host would only take CPU from the others here",
    );
  else if (busiest) lines.push(`the next bottleneck: ${busiest.part}`);
  return lines.filter(Boolean).join("; ");
}

/** The scale table, as `npm run hosts -- scale` prints it. */
export function renderScale(r: ScaleResults): string {
  const out = [
    `stage ${r.stage}; each API host capped at ${r.cpuCap} of a core; ${r.tool}, ${r.connections} connections, ` +
      `median of ${r.rounds} rounds × ${r.durationSec} s; ${r.cores} cores`,
    r.delay,
    "",
    "scenario  API hosts    req/s  × one host  p99 ms  errors  non-2xx",
  ];
  for (const row of r.rows) {
    out.push(
      `${row.scenario.padEnd(8)}  ${String(row.apiHosts).padStart(9)}  ${String(Math.round(row.requestsPerSec)).padStart(7)}` +
        `  ${row.ratio.toFixed(2).padStart(10)}  ${String(row.p99Ms).padStart(6)}  ${String(row.errors).padStart(6)}  ${String(row.non2xx).padStart(7)}`,
    );
  }
  for (const { scenario, shares, bottleneck } of r.cpuWithAllHosts) {
    out.push(
      "",
      `CPU while every API host took ${scenario} (cores, average; each host's processes by program):`,
    );
    for (const share of shares.filter((s) => s.cores >= 0.01)) {
      out.push(
        `  ${share.part.padEnd(22)} ${share.cores.toFixed(2).padStart(5)}` +
          (share.cap ? ` (the host's cap: ${share.cap})` : ""),
      );
    }
    out.push(`${scenario}: ${bottleneck}`);
  }
  out.push(
    "",
    `throttled periods per API host: ${Object.entries(r.throttledPeriods)
      .map(([a, n]) => `${a} ${n}`)
      .join(", ")}`,
    "",
    "Columns: req/s through the lb (HTTPS), the median over the rounds; × one host: against the same",
    "scenario with one API host; p99: the 99th percentile latency; errors: no answer; non-2xx: any other",
    "status. list is the first page signed in (GET /todo); mixed is the tour's write mix (8 reads to 1",
    "create and 1 finish).",
  );
  return out.join("\n");
}
