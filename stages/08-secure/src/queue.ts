import { integer, text } from "@zero-to-one/server-kit";
import { createNodeRedisClient, Queue, type Job } from "bullmq";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { createDeadline } from "./deadline.js";
import { closeRedisClient } from "./redis-client.js";
import type { Owner } from "./store.js";

/**
 * The queue's name in Redis; the API adds to it, every worker process takes from it. Not stage 07's
 * queue: a worker of that stage, which knows no owners, must never take these jobs.
 */
export const EXPORT_QUEUE = "todo-export-per-user";

/** The settings both sides of the queue read: the API (inline exports, results) and the worker. */
export const exportSettings = {
  // a folder every worker writes to and every API process reads from (see export-files.ts)
  EXPORT_DIR: text(fileURLToPath(new URL("../.data/exports", import.meta.url))),
  EXPORT_PAGE_SIZE: integer(500, { min: 1, max: 10_000 }),
};

/** How long a finished export (its job and its file) is kept before it is removed. */
export const RESULT_TTL_MS = 60 * 60 * 1000;
/** How long closing waits for commands already sent before it drops the connection. */
const CLOSE_WAIT_MS = 500;

export interface ExportResult {
  /** The file's path inside EXPORT_DIR: `<owner>/<job id>.csv`. */
  file: string;
  rows: number;
  bytes: number;
}
export interface ExportProgress {
  rows: number;
  /** How many todos the store held when the export began (a page may add or lose a few). */
  total: number;
}
/** Whose todos the job exports: the account that asked for it, and the only one who may see it. */
export interface ExportData {
  owner: Owner;
}
export type ExportJob = Job<ExportData, ExportResult>;

/**
 * A client's Idempotency-Key, or a fresh one, becomes the job id together with the owner: the same
 * key from the same user, the same job; the same key from another user, another job.
 */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{1,64}$/;
export const exportJobId = (owner: Owner, key: string) => `export-${owner}-${key}`;
const EXPORT_JOB_ID = /^export-[A-Za-z0-9_-]{1,140}$/;

export interface QueueOptions {
  redisUrl: string;
  /** Tries per export before it is marked failed. */
  attempts: number;
  /** The first retry waits this long; each next one twice as long as the one before. */
  backoffMs: number;
}

/**
 * The producer side, used by the API. Its Redis client fails fast: with the offline queue off, an
 * add while Redis is down throws at once (the route answers 503) instead of holding the request
 * until Redis comes back, which is what BullMQ's production guide asks of producers.
 */
export function createExportQueue({ redisUrl, attempts, backoffMs }: QueueOptions) {
  const client = createClient({ url: redisUrl, disableOfflineQueue: true });
  const queue = new Queue<ExportData, ExportResult>(EXPORT_QUEUE, {
    connection: createNodeRedisClient(client),
    defaultJobOptions: {
      attempts,
      backoff: { type: "exponential", delay: backoffMs },
      // bounded retention: Redis must not fill up with old jobs
      removeOnComplete: { age: RESULT_TTL_MS / 1000, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
    },
  });
  reportRedisErrors("queue", queue);

  return {
    /** Adds the owner's export; a second add with the same key returns the job the first one made. */
    submit: (owner: Owner, key: string): Promise<ExportJob> =>
      queue.add("export", { owner }, { jobId: exportJobId(owner, key) }).catch(unavailable),

    /**
     * The job and its state (waiting, active, delayed, completed or failed), the state read first:
     * a job only moves on, so the job read after it is at least as far along. Read the other way
     * round, a job that failed for good between the two reads showed "failed" with the attempts made
     * before the last one, and one that completed showed "completed" without its result.
     * Another user's job is as absent as one that never existed.
     */
    find: async (owner: Owner, id: string) => {
      if (!EXPORT_JOB_ID.test(id)) return undefined;
      const state = await queue.getJobState(id).catch(unavailable);
      const job = (await queue.getJob(id).catch(unavailable)) as ExportJob | undefined;
      return job?.data.owner === owner ? { job, state } : undefined;
    },

    /** Bounded like the caches' clients: a Redis that hangs cannot hold the process past its drain. */
    close: async () => {
      await createDeadline(CLOSE_WAIT_MS)(queue.close()).catch(() => {});
      await closeRedisClient(client, CLOSE_WAIT_MS);
    },
  };
}

export type ExportQueue = ReturnType<typeof createExportQueue>;

/** Redis could not be reached: the API answers 503 rather than wait for it. */
export class QueueUnavailableError extends Error {
  override name = "QueueUnavailableError";
}
const unavailable = (error: Error): never => {
  throw new QueueUnavailableError(error.message, { cause: error });
};

/**
 * An unhandled 'error' event would crash the process, and a Redis outage emits one per reconnect
 * attempt; so every BullMQ object gets a listener, which logs each distinct error once per 10 s.
 */
export function reportRedisErrors(
  label: string,
  emitter: { on(event: "error", listener: (error: Error) => void): unknown },
) {
  const lastLogged = new Map<string, number>();
  emitter.on("error", (error) => {
    const now = Date.now();
    if (now - (lastLogged.get(error.message) ?? 0) < 10_000) return;
    lastLogged.set(error.message, now);
    console.error(`${label}: redis error: ${error.message}`);
  });
}
