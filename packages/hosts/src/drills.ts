import { mkdirSync, readdirSync, readlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { MongoClient } from "mongodb";
import type { Drill, DrillContext, Staged } from "./drill.js";
import { ferretUrl } from "./ferretdb.js";
import { serviceOf, startHost, startService } from "./hosts.js";
import { ask } from "./http.js";
import { signIn, type Sent } from "./load.js";
import { logSize, readLogSince } from "./logs.js";
import { linkDown, linkUp } from "./network.js";
import {
  cloneStandby,
  dumpDatabase,
  initPrimary,
  provisionPrimary,
  restoreDatabase,
  standbyCaughtUp,
  wipeCluster,
} from "./postgres.js";
import { hostPids, killHost, stopHost } from "./processes.js";
import { redisPrimary, replicaHealthy, sentinelView } from "./redis.js";
import { run } from "./run.js";
import { stageDir } from "./stage.js";
import { paths, readSecrets, readState, REPO_ROOT, STATE_DIR } from "./state.js";
import { sentBetween, servedBy } from "./tally.js";
import { hostsWithRole, PORTS, PUBLIC_URL } from "./topology.js";
import { jobOutcomes } from "./verify.js";
import { waitUntil } from "./wait.js";

/** The API host the drills fail: one of three, so two carry the load meanwhile. */
const VICTIM = "api2";
/** How long a failure lasts before it is healed, where the drill heals it. */
const OUTAGE_MS = 6_000;

const servedByVictimSince = (from: number) => (sent: readonly Sent[]) =>
  (servedBy(sentBetween(sent, from))[VICTIM] ?? 0) > 0;

/**
 * The load balancer's view of an API host going away (from `gone`, once the failure took effect) and
 * coming back, for kill-api and cut-api. A request sent to a cut-off host waits for its cable, and is
 * answered by it once plugged back in: that is no answer while it was away.
 */
function apiHostEvidence(sent: readonly Sent[], failedAt: number, gone: number, healedAt: number) {
  const byVictim = (some: readonly Sent[]) => servedBy(some)[VICTIM] ?? 0;
  const whileDown = sentBetween(sent, gone, healedAt);
  return {
    [`answeredBy${VICTIM}Before`]: byVictim(sentBetween(sent, 0, failedAt)),
    [`answeredBy${VICTIM}WhileDown`]: byVictim(whileDown.filter((s) => s.doneAt < healedAt)),
    [`answeredBy${VICTIM}OnceBack`]: byVictim(whileDown.filter((s) => s.doneAt >= healedAt)),
    [`answeredBy${VICTIM}After`]: byVictim(sentBetween(sent, healedAt)),
    answeredWhileDownBy: servedBy(whileDown),
  };
}

const killApi: Drill = {
  name: "kill-api",
  summary: `kill -9 every process of ${VICTIM}; the lb routes around it (passive checks); start it again`,
  act: async ({ say }) => {
    const failedAt = Date.now();
    const pids = await killHost(VICTIM);
    const gone = Date.now();
    say(`killed ${pids.length} processes of ${VICTIM}`);
    await sleep(OUTAGE_MS);
    await startHost(VICTIM);
    const healedAt = Date.now();
    say(`${VICTIM} started again`);
    return {
      failure: `kill -9 of ${VICTIM}'s ${pids.length} processes; started again after ${OUTAGE_MS / 1000} s`,
      failedAt,
      healedAt,
      backAgain: servedByVictimSince(healedAt),
      evidence: async (sent) => ({
        facts: { killedPids: pids.length, ...apiHostEvidence(sent, failedAt, gone, healedAt) },
      }),
    };
  },
};

const cutApi: Drill = {
  name: "cut-api",
  summary: `unplug ${VICTIM}'s cable (link down), plug it back after ${OUTAGE_MS / 1000} s`,
  act: async ({ say }) => {
    const failedAt = Date.now();
    await linkDown(VICTIM);
    // what was sent before `ip` had taken the link down (a moment on a busy machine) could still reach it
    const gone = Date.now();
    say(`${VICTIM}'s link is down`);
    await sleep(OUTAGE_MS);
    await linkUp(VICTIM);
    const healedAt = Date.now();
    say(`${VICTIM}'s link is up again`);
    return {
      failure: `${VICTIM}'s link down for ${OUTAGE_MS / 1000} s, then up`,
      failedAt,
      healedAt,
      backAgain: servedByVictimSince(healedAt),
      evidence: async (sent) => {
        // under way on api2 as its cable went: they wait for it to come back, or for the lb's timeout
        const stuck = sentBetween(sent, failedAt - 1_000, healedAt).filter(
          (s) => s.doneAt - s.sentAt >= 2_000,
        );
        return {
          facts: {
            ...apiHostEvidence(sent, failedAt, gone, healedAt),
            requestsStuckOver2s: stuck.length,
          },
          notes: [
            stuck.length > 0
              ? `${stuck.length} requests were under way on ${VICTIM} when its cable went: they waited until it was ` +
                "plugged back in, or for the lb's proxy_read_timeout (10 s), when a GET goes to another host and a " +
                "POST fails (503), since it may have been carried out"
              : `no request was under way on ${VICTIM} when its cable went`,
            "a new connection to the unplugged host waits for the lb's proxy_connect_timeout (1 s), then goes to another host",
          ],
        };
      },
    };
  },
};

const killRedisPrimary: Drill = {
  name: "kill-redis-primary",
  summary: "kill -9 the Redis primary's host (as the Sentinels name it); they promote a replica",
  act: async ({ say }) => {
    const { redisPassword } = readSecrets();
    const before = await redisPrimary(redisPassword);
    const failedAt = Date.now();
    const pids = await killHost(before.host);
    say(`killed ${before.host} (the primary, and its Sentinel): ${pids.length} processes`);
    let after = before;
    await waitUntil(
      async () => {
        after = await redisPrimary(redisPassword);
        if (after.host === before.host) throw new Error(`the Sentinels still name ${before.host}`);
      },
      { part: "a new Redis primary", timeoutMs: 30_000 },
    );
    const promotedAt = Date.now();
    say(`the Sentinels promoted ${after.host} after ${((promotedAt - failedAt) / 1000).toFixed(1)} s`);
    await sleep(3_000);
    // the old primary comes back; the Sentinels make it a replica of the new one
    await startHost(before.host);
    let rejoined = true;
    await waitUntil(
      async () => {
        const view = await sentinelView(
          hostsWithRole("redis").find((h) => h.name === after.host)!.address,
          redisPassword,
        );
        if (view.replicas.filter(replicaHealthy).length !== 2)
          throw new Error(`${view.replicas.filter(replicaHealthy).length} healthy replicas`);
      },
      { part: `${before.host} back as a replica`, timeoutMs: 30_000 },
    ).catch(() => (rejoined = false));
    const healedAt = Date.now();
    say(
      `${before.host} started again${rejoined ? ", a replica of " + after.host : " (not a healthy replica yet)"}`,
    );
    return {
      failure: `kill -9 of ${before.host} (Redis primary and its Sentinel); ${after.host} promoted; ${before.host} back as a replica`,
      failedAt,
      healedAt,
      evidence: async (sent) => {
        const unauthorized = sent.filter((s) => s.status === 401).length;
        return {
          facts: {
            primaryBefore: before.host,
            primaryAfter: after.host,
            promotedAfterS: Math.round((promotedAt - failedAt) / 100) / 10,
            oldPrimaryRejoinedAsReplica: rejoined,
          },
          notes: [
            unauthorized > 0
              ? `${unauthorized} requests got 401: sessions written only to the dead primary were lost with it, and those clients must sign in again`
              : "no session was lost: every token was made well before the failure and had reached the replicas",
            "the apps and workers carried on without a restart: their Sentinel clients asked for the new primary",
          ],
        };
      },
    };
  },
};

/** The worker host whose process has the export's partial file open: the one running it now. */
async function workerRunning(jobId: string): Promise<string | undefined> {
  for (const worker of hostsWithRole("worker")) {
    for (const pid of await hostPids(worker.name)) {
      let fds: string[];
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue; // gone meanwhile
      }
      for (const fd of fds) {
        try {
          const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
          if (target.includes(`${jobId}.`) && target.endsWith(".partial")) return worker.name;
        } catch {
          // closed meanwhile
        }
      }
    }
  }
  return undefined;
}

const secondsSince = (from: number, at: number | undefined) =>
  at === undefined ? null : Math.round((at - from) / 100) / 10;

/** Todos of the account whose export the kill-worker drill catches running. */
const BIG_EXPORT_ROWS = 1_000;

/** Gives a new account BIG_EXPORT_ROWS todos with the stage's own seed script, on the primary. */
async function seedBigAccount(username: string, password: string): Promise<void> {
  const state = readState()!;
  const { redisPassword } = readSecrets();
  const primary = await redisPrimary(redisPassword);
  const ran = await run(
    [
      process.execPath,
      join(stageDir(state.stage), "dist", "seed.js"),
      "--count",
      String(BIG_EXPORT_ROWS),
      "--user",
      username,
    ],
    {
      env: {
        ...process.env,
        MONGO_URL: ferretUrl("db1"),
        // the seed drops the account's cached first page, in the topology's Redis
        REDIS_URL: `redis://:${redisPassword}@${primary.address}:${PORTS.redis}`,
        SEED_PASSWORD: password,
      },
      timeoutMs: 120_000,
    },
  );
  if (ran.code !== 0) throw new Error(`seeding ${username}: ${ran.stderr.trim() || ran.stdout.trim()}`);
}

const killWorker: Drill = {
  name: "kill-worker",
  summary: "kill -9 the worker host that is running an export; the other worker takes the job over",
  act: async ({ say }) => {
    const username = `drill-big-${Date.now().toString(36)}`;
    const password = Date.now().toString(36) + "-exports-a-lot";
    await seedBigAccount(username, password);
    const big = await signIn(username, password);
    const logOffsets = Object.fromEntries(
      hostsWithRole("worker").map((w) => [w.name, logSize(paths.log(w.name, "worker"))]),
    );
    const queued = await ask(`${PUBLIC_URL}/todo/export`, {
      method: "POST",
      headers: { authorization: big.authorization },
    });
    if (queued.status !== 202) throw new Error(`POST /todo/export answered ${queued.status}: ${queued.body}`);
    const jobId = (JSON.parse(queued.body) as { job_id: string }).job_id;
    let running: string | undefined;
    await waitUntil(
      async () => {
        running = await workerRunning(jobId);
        if (!running) throw new Error(`no worker is writing ${jobId} yet`);
      },
      { part: `a worker running the export of ${BIG_EXPORT_ROWS} todos`, timeoutMs: 15_000 },
    );
    const victim = running!;
    const failedAt = Date.now();
    const pids = await killHost(victim);
    say(`killed ${victim} (${pids.length} processes) while it ran ${jobId}`);
    const [outcome] = await jobOutcomes([jobId], { waitMs: 40_000 });
    say(`the export is ${outcome?.state} (started ${outcome?.started} times)`);
    await startHost(victim);
    const healedAt = Date.now();
    return {
      failure: `kill -9 of ${victim} while it ran an export of ${BIG_EXPORT_ROWS} todos; started again once the export was done`,
      failedAt,
      healedAt,
      jobs: [jobId],
      evidence: async () => {
        const completedBy = hostsWithRole("worker")
          .filter((w) =>
            readLogSince(paths.log(w.name, "worker"), logOffsets[w.name] ?? 0).includes(
              `export ${jobId} completed`,
            ),
          )
          .map((w) => w.name);
        return {
          facts: {
            job: jobId,
            killedWorker: victim,
            completedBy,
            jobState: outcome?.state,
            jobStarted: outcome?.started,
            jobStalled: outcome?.stalled,
            // after the kill: when the other worker started it again, and when it was done
            takenOverAfterS: secondsSince(failedAt, outcome?.processedOn),
            completedAfterS: secondsSince(failedAt, outcome?.finishedOn),
          },
          notes: [
            "the job's lock (JOB_LOCK_MS, 4 s here) ran out, and the other worker's stalled-job check put it back in the queue",
            "a rerun writes the same file again (the half-written one of the dead worker is removed): it is idempotent",
          ],
        };
      },
    };
  },
};

/** The lines read-routing.ts logs when a replica read fails, and when the replica answers again. */
const REPLICA_DOWN = "read store unreachable";
const REPLICA_BACK = "read store answers again";

const stopReplica: Drill = {
  name: "stop-replica",
  summary: "stop db2 (its PostgreSQL and FerretDB); reads fall back to the primary; start it again",
  act: async ({ say }) => {
    const apis = hostsWithRole("api").filter((h) => readState()!.apiHosts >= Number(h.name.slice(3)));
    const offsets = Object.fromEntries(apis.map((a) => [a.name, logSize(paths.log(a.name, "api"))]));
    const said = (line: string) =>
      apis
        .filter((a) => readLogSince(paths.log(a.name, "api"), offsets[a.name] ?? 0).includes(line))
        .map((a) => a.name);
    const failedAt = Date.now();
    await stopHost("db2");
    const processesWhileDown = (await hostPids("db2")).length;
    say("db2 stopped");
    await sleep(OUTAGE_MS);
    await startHost("db2");
    const healedAt = Date.now();
    say("db2 started again");
    return {
      failure: `db2 (the read replica) stopped for ${OUTAGE_MS / 1000} s, then started`,
      failedAt,
      healedAt,
      // read-routing.ts tries the replica again 5 s after a failed read
      backAgain: () => said(REPLICA_DOWN).every((api) => said(REPLICA_BACK).includes(api)),
      evidence: async () => ({
        facts: {
          db2ProcessesWhileStopped: processesWhileDown,
          apisReadingThePrimaryInstead: said(REPLICA_DOWN),
          apisReadingDb2Again: said(REPLICA_BACK),
        },
      }),
    };
  },
};

/** Where the restore drill keeps its backup: off the database's host, as a backup must be. */
const BACKUP = join(STATE_DIR, "backups", "db1-ferretdb.sql");

/** How many of `contents` db2's FerretDB (the standby) has. */
async function countOnStandby(contents: string[]): Promise<number | undefined> {
  const client = new MongoClient(ferretUrl("db2"), { serverSelectionTimeoutMS: 2_000 });
  try {
    return await client
      .db()
      .collection("todos")
      .countDocuments({ content: { $in: contents } });
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}

const restore: Drill = {
  name: "restore",
  summary:
    "back db1 up under load (pg_dump), lose it (kill -9, data folder deleted), restore the backup onto a fresh PostgreSQL, rebuild db2 from it",
  act: async ({ load, say }) => {
    const backupAt = Date.now();
    const sql = await dumpDatabase("db1");
    mkdirSync(join(STATE_DIR, "backups"), { recursive: true });
    writeFileSync(BACKUP, sql, { mode: 0o600 });
    say(`backup taken: ${(sql.length / 1024).toFixed(0)} KiB of SQL in ${Date.now() - backupAt} ms`);
    await sleep(3_000);

    const failedAt = Date.now();
    await killHost("db1");
    wipeCluster("db1");
    say("db1 killed and its data folder deleted");
    // reads of todos made since the backup would only find them gone: the load reads older ones
    load.readOnlyBefore(backupAt);
    const sinceBackup = load.sent
      .filter((s) => s.action === "create" && s.status === 201 && s.doneAt >= backupAt)
      .map((s) => s.content!);
    const onStandby = await countOnStandby(sinceBackup);
    // the standby followed the lost primary: it is rebuilt from the restored one
    await stopHost("db2");

    const { replicationPassword } = readSecrets();
    await initPrimary("db1");
    await startService(serviceOf("db1", "postgres"));
    await provisionPrimary("db1", replicationPassword);
    await restoreDatabase("db1", sql);
    await startService(serviceOf("db1", "ferretdb"));
    const restoredAt = Date.now();
    say(`db1 restored from the backup in ${((restoredAt - failedAt) / 1000).toFixed(1)} s`);

    wipeCluster("db2");
    await cloneStandby("db2", "db1", replicationPassword);
    await startService(serviceOf("db2", "postgres"));
    await waitUntil(() => standbyCaughtUp("db1", "db2"), {
      part: "db2 streaming from db1",
      timeoutMs: 30_000,
    });
    await startService(serviceOf("db2", "ferretdb"));
    const healedAt = Date.now();
    say("db2 rebuilt from the restored db1");
    return {
      failure:
        "db1 backed up under load, then lost (kill -9, data deleted) and restored from the backup; db2 rebuilt from it",
      failedAt,
      healedAt,
      backupAt,
      evidence: async () => ({
        facts: {
          backupBytes: sql.length,
          // where it is in the repository, as the results are read on other machines
          backup: relative(REPO_ROOT, BACKUP),
          restoredAfterS: Math.round((restoredAt - failedAt) / 100) / 10,
          acknowledgedSinceBackupBeforeLoss: sinceBackup.length,
          ofThoseOnTheStandbyAtTheLoss: onStandby,
        },
        notes: [
          "writes acknowledged after the backup began are what a backup alone loses (its recovery point): " +
            "the standby had them when db1 was lost; promoting it instead of restoring keeps them",
        ],
      }),
    };
  },
};

/** In the order `drill all` runs them: the restore last, since it rebuilds both databases. */
export const DRILLS: readonly Drill[] = [killApi, cutApi, killRedisPrimary, killWorker, stopReplica, restore];
export const DRILL_NAMES = DRILLS.map((d) => d.name);

export const drillNamed = (name: string) => DRILLS.find((d) => d.name === name);

export type { DrillContext, Staged };
