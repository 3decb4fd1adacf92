import { setTimeout as sleep } from "node:timers/promises";
import { MongoClient } from "mongodb";
import { createClient } from "redis";
import { ferretUrl } from "./ferretdb.js";
import { redisPrimary } from "./redis.js";
import { readSecrets } from "./state.js";
import { PORTS } from "./topology.js";

/**
 * Which of `contents` are in the primary database (db1's FerretDB, read directly, not through an
 * API host or the replica): an acknowledged write is kept only if it is there.
 */
export async function contentsOnPrimary(contents: readonly string[]): Promise<Set<string>> {
  const client = new MongoClient(ferretUrl("db1"), { serverSelectionTimeoutMS: 5_000 });
  try {
    const todos = client.db().collection<{ content: string }>("todos");
    const found = new Set<string>();
    // in slices: one $in of thousands of strings is a large query for FerretDB to translate
    for (let i = 0; i < contents.length; i += 500) {
      const slice = contents.slice(i, i + 500);
      for (const doc of await todos
        .find({ content: { $in: slice } }, { projection: { content: 1, _id: 0 } })
        .toArray()) {
        found.add(doc.content);
      }
    }
    return found;
  } finally {
    await client.close();
  }
}

/**
 * The stage's export queue (EXPORT_QUEUE in its queue.ts) under BullMQ's default key prefix: each
 * job is a hash at `<this>:<job id>`.
 */
export const EXPORT_QUEUE_KEY = "bull:todo-export-per-user";

export interface JobOutcome {
  id: string;
  state: "completed" | "failed" | "missing" | "unfinished";
  /** How many times a worker started it (BullMQ's `ats`): 2 or more, it ran again after a worker died. */
  started: number;
  /** How many times a worker's death left it stalled (BullMQ's `stc`). */
  stalled: number;
  /** When a worker last started it, and when it ended (ms since the epoch), if it has. */
  processedOn?: number;
  finishedOn?: number;
  failedReason?: string;
}

/**
 * Every job's end, read from the Redis primary the Sentinels name now; waits up to `waitMs` for
 * those still queued or running. A job whose hash is gone was lost (or never kept); one that
 * failed is an export the user asked for and never got.
 */
export async function jobOutcomes(ids: readonly string[], { waitMs = 20_000 } = {}): Promise<JobOutcome[]> {
  const { redisPassword } = readSecrets();
  const deadline = Date.now() + waitMs;
  for (;;) {
    const outcomes = await readJobs(ids, redisPassword);
    const waiting = outcomes.filter((o) => o.state === "unfinished");
    if (waiting.length === 0 || Date.now() > deadline) return outcomes;
    await sleep(500);
  }
}

async function readJobs(ids: readonly string[], password: string): Promise<JobOutcome[]> {
  const primary = await redisPrimary(password);
  const client = createClient({
    socket: { host: primary.address, port: PORTS.redis, connectTimeout: 2_000, reconnectStrategy: false },
    password,
  });
  client.on("error", () => {});
  await client.connect();
  try {
    return await Promise.all(
      ids.map(async (id): Promise<JobOutcome> => {
        const key = `${EXPORT_QUEUE_KEY}:${id}`;
        const [exists, completed, failed, ats, stc, failedReason, processedOn, finishedOn] =
          await Promise.all([
            client.exists(key),
            client.zScore(`${EXPORT_QUEUE_KEY}:completed`, id),
            client.zScore(`${EXPORT_QUEUE_KEY}:failed`, id),
            client.hGet(key, "ats"),
            client.hGet(key, "stc"),
            client.hGet(key, "failedReason"),
            client.hGet(key, "processedOn"),
            client.hGet(key, "finishedOn"),
          ]);
        const state =
          exists === 0
            ? "missing"
            : completed !== null
              ? "completed"
              : failed !== null
                ? "failed"
                : "unfinished";
        return {
          id,
          state,
          started: Number(ats ?? 0),
          stalled: Number(stc ?? 0),
          ...(processedOn ? { processedOn: Number(processedOn) } : {}),
          ...(finishedOn ? { finishedOn: Number(finishedOn) } : {}),
          ...(failedReason && state !== "completed" ? { failedReason } : {}),
        };
      }),
    );
  } finally {
    client.destroy();
  }
}
