import {
  freshDbPath as tempDbPath,
  startCluster as startClusterIn,
  startTestRedis,
  type Cluster,
} from "@zero-to-one/test-kit";
import { afterAll } from "vitest";

export { allIds, exitCode, waitFor, type Cluster } from "@zero-to-one/test-kit";

export const stageDir = new URL("..", import.meta.url).pathname;

/**
 * One throwaway Redis for the processes a test file starts: a learner's Redis on :6379 is never
 * touched. Without redis-server the processes run with the cache bypassed (an unreachable URL).
 */
const started = await startTestRedis();
if (started.skipped) console.log(`skipped: ${started.skipped}`);
export const redis = started.redis;
export const REDIS_URL = redis?.url ?? "redis://127.0.0.1:1";
/** For in-process apps: undefined when there is no Redis (the cache then bypasses). */
export const redisUrl = redis?.url;
afterAll(() => redis?.stop());

/** A fresh SQLite file that several clusters in one test can share (to check what survived). */
export const freshDbPath = () => tempDbPath("zto-06-");

/** Starts `npm start` of this stage as a real process and waits until every worker listens. */
export const startCluster = (env: Record<string, string> = {}): Promise<Cluster> =>
  startClusterIn({
    cwd: stageDir,
    env: {
      WORKERS: "2",
      DB_PATH: freshDbPath(),
      MONGO_URL: "",
      TRUSTED_PROXY: "127.0.0.1",
      REDIS_URL,
      ...env,
    },
  });
