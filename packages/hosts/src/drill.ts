import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { healthzThroughEvery } from "./lb-check.js";
import { giveTodos, signUp, startLoad, type Account, type Load, type Sent } from "./load.js";
import { readState, type State } from "./state.js";
import { errorsOf, succeeded, wholeAgainAfter, WHOLE_FOR_MS, type Errors } from "./tally.js";
import { hostsFor } from "./topology.js";
import { contentsOnPrimary, jobOutcomes } from "./verify.js";
import { waitUntil } from "./wait.js";

/**
 * What a topology made for the drills has besides the usual: limits raised out of the way of a load
 * that comes from one address (this machine), a job lock of 4 s instead of 30 s so a dead worker's
 * export is taken over within seconds, and export pages of 10 todos so an export lasts long enough
 * to be caught running.
 */
export const DRILL_SETTINGS = {
  raiseLimits: true,
  appEnv: { JOB_LOCK_MS: "4000", EXPORT_PAGE_SIZE: "10" },
} as const;

export const madeForDrills = (state: State) =>
  state.raiseLimits === true &&
  Object.entries(DRILL_SETTINGS.appEnv).every(([name, value]) => state.appEnv?.[name] === value);

/** Requests per second of the drills' load, over all its clients. */
export const DRILL_RATE = 40;
/** Clients of the load: half of them write (and read), half only read. */
const CLIENTS = 4;
/** The load before the failure: what the service does when whole. */
const WARM_MS = 4_000;
/** After healing, the load goes on at least this long, and until the service is whole again… */
const AFTER_MIN_MS = 5_000;
/** …but no longer than this. */
const AFTER_MAX_MS = 25_000;

export interface DrillContext {
  load: Load;
  accounts: Account[];
  say: (line: string) => void;
}

/** What a drill did, for the runner: when, and how to tell that the failure really happened. */
export interface Staged {
  /** One line: what failed, and how it was healed. */
  failure: string;
  failedAt: number;
  healedAt: number;
  /** The load goes on after healing until this holds too (api2 serves again, say). */
  backAgain?: (sent: readonly Sent[]) => boolean | Promise<boolean>;
  /** Once the load has stopped: facts that show the failure happened, and notes for a person. */
  evidence: (sent: readonly Sent[]) => Promise<{ facts: Record<string, unknown>; notes?: string[] }>;
  /** Exports queued by the drill itself, besides the load's. */
  jobs?: string[];
  /** The restore drill: when its backup began. Writes acknowledged from then on are not in it. */
  backupAt?: number;
}

export interface Drill {
  name: string;
  summary: string;
  act: (context: DrillContext) => Promise<Staged>;
}

/** One drill's row of the table; `npm run hosts -- drill` prints it and keeps it as JSON. */
export interface DrillRow {
  drill: string;
  failure: string;
  startedAt: string;
  durationS: number;
  requests: number;
  errors: Errors;
  /** Seconds from the failure until every request succeeded again (for WHOLE_FOR_MS); null: never. */
  wholeAfterS: number | null;
  /** The longest any request took to be answered (or to fail), in seconds. */
  slowestS: number;
  /** Creates answered 2xx. */
  acknowledgedWrites: number;
  /** Of those, not found afterwards in the primary database: must be 0. */
  writesLost: number;
  /** The restore drill: acknowledged after its backup began, gone after the restore (its RPO). */
  lostSinceBackup?: number;
  /** Exports answered 202 (and the drill's own). */
  jobs: number;
  /** Of those, not completed (failed, missing, or still not done after a wait): must be 0. */
  jobsLost: number;
  /** Of those, started more than once: a rerun writes the same file again, so it is harmless. */
  jobsRunTwice: number;
  facts: Record<string, unknown>;
  notes: string[];
}

/**
 * Signs up the clients, starts the load, lets the drill fail something and heal it, keeps the load
 * until the service is whole again (or AFTER_MAX_MS), stops it, and checks every acknowledged write
 * and job.
 */
export async function runDrill(drill: Drill, say: (line: string) => void): Promise<DrillRow> {
  const startedAt = Date.now();
  const state = readState();
  if (!state || state.phase !== "up") throw new Error("the topology is not up");
  // each drill starts from a whole topology: the lb reaches every API host again, and each of them
  // reaches Redis again (after kill-redis-primary, a host's clients may still be finding the new primary)
  const apis = hostsFor(state.apiHosts)
    .filter((h) => h.role === "api")
    .map((h) => h.name);
  await waitUntil(() => healthzThroughEvery(apis), { part: "lb through every API host", timeoutMs: 30_000 });

  const run = randomBytes(3).toString("hex");
  const accounts = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const account = await signUp(`drill-${run}-${i + 1}`);
      if (i % 2 === 1) {
        account.reader = true;
        await giveTodos(account, 5);
      }
      return account;
    }),
  );
  say(
    `${drill.name}: ${CLIENTS} clients signed in (${CLIENTS / 2} write and read, ${CLIENTS / 2} only read); ` +
      `load of ${DRILL_RATE} req/s through the lb`,
  );
  const load = startLoad({ accounts, ratePerSec: DRILL_RATE });
  let staged: Staged;
  try {
    await sleep(WARM_MS);
    staged = await drill.act({ load, accounts, say: (line) => say(`${drill.name}: ${line}`) });
    const healed = Date.now();
    for (;;) {
      const now = Date.now();
      if (now - healed >= AFTER_MAX_MS) break;
      const sent = load.sent.filter((s) => s.doneAt > 0);
      const lastFailure = Math.max(0, ...sent.filter((s) => !succeeded(s)).map((s) => s.doneAt));
      const inFlightSinceFailure = load.sent.some((s) => s.doneAt === 0 && s.sentAt < staged.healedAt);
      if (
        now - healed >= AFTER_MIN_MS &&
        now - lastFailure > WHOLE_FOR_MS + 1_000 &&
        !inFlightSinceFailure &&
        (!staged.backAgain || (await staged.backAgain(load.sent)))
      ) {
        break;
      }
      await sleep(250);
    }
  } finally {
    await load.stop();
  }
  const sent = load.sent;
  say(`${drill.name}: load stopped after ${sent.length} requests; checking every acknowledged write and job`);

  const acknowledged = sent.filter((s) => s.action === "create" && succeeded(s) && s.content);
  const found = await contentsOnPrimary(acknowledged.map((s) => s.content!));
  const missing = acknowledged.filter((s) => !found.has(s.content!));
  const { backupAt } = staged;
  const sinceBackup =
    backupAt === undefined ? [] : missing.filter((s) => s.doneAt >= backupAt && s.doneAt < staged.healedAt);

  const jobIds = [...sent.filter((s) => s.jobId).map((s) => s.jobId!), ...(staged.jobs ?? [])];
  const jobs = await jobOutcomes(jobIds);
  const { facts, notes = [] } = await staged.evidence(sent);
  const whole = wholeAgainAfter(sent, staged.failedAt);
  const lostJobs = jobs.filter((j) => j.state !== "completed");
  if (lostJobs.length > 0) {
    facts["jobsNotCompleted"] = lostJobs.map(
      (j) => `${j.id}: ${j.state}${j.failedReason ? ` (${j.failedReason})` : ""}`,
    );
  }
  const failed = sent.filter((s) => !succeeded(s));
  if (failed.length > 0) {
    facts["failedByAction"] = Object.fromEntries(
      ["create", "list", "get", "export"].map((a) => [a, failed.filter((s) => s.action === a).length]),
    );
  }
  if (missing.length > sinceBackup.length) {
    facts["writesNotFound"] = missing.filter((s) => !sinceBackup.includes(s)).map((s) => s.content);
  }
  return {
    drill: drill.name,
    failure: staged.failure,
    startedAt: new Date(startedAt).toISOString(),
    durationS: round((Date.now() - startedAt) / 1000),
    requests: sent.length,
    errors: errorsOf(sent),
    wholeAfterS: whole === undefined ? null : round(whole / 1000),
    slowestS: round(Math.max(0, ...sent.map((s) => s.doneAt - s.sentAt)) / 1000),
    acknowledgedWrites: acknowledged.length,
    writesLost: missing.length - sinceBackup.length,
    ...(backupAt === undefined ? {} : { lostSinceBackup: sinceBackup.length }),
    jobs: jobIds.length,
    jobsLost: lostJobs.length,
    jobsRunTwice: jobs.filter((j) => j.started > 1).length,
    facts,
    notes,
  };
}

const round = (x: number) => Math.round(x * 10) / 10;
