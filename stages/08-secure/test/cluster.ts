import { clusteredStage, startStageRedis } from "@zero-to-one/test-kit";
import { afterAll } from "vitest";

export { allIds, exitCode, waitFor, type Cluster } from "@zero-to-one/test-kit";

/** One Redis for what a test file starts; without redis-server they run with the cache bypassed. */
export const testRedis = await startStageRedis();
export const { redis, REDIS_URL, redisUrl } = testRedis;
afterAll(() => redis?.stop());

export const stageDir = new URL("..", import.meta.url).pathname;
export const { freshDbPath, startCluster } = clusteredStage(stageDir, {
  TRUSTED_PROXY: "127.0.0.1",
  REDIS_URL,
});
