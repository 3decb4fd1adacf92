import { signUpAndIn, TEST_PASSWORD } from "@zero-to-one/contract";
import { clusteredStage, startStageRedis } from "@zero-to-one/test-kit";
import { afterAll, describe, it } from "vitest";

export { exitCode, waitFor, type Cluster } from "@zero-to-one/test-kit";

/**
 * Two Redis servers for what a test file starts, both asking for a password as this stage's Redis
 * does: the cache's, which a test may kill, and the sessions', so everyone stays signed in meanwhile.
 */
const testRedis = await startStageRedis({ requirePassword: true });
export const sessionRedis = await startStageRedis({ requirePassword: true });
export const { redis, REDIS_URL, redisUrl } = testRedis;
afterAll(async () => {
  await redis?.stop();
  await sessionRedis.redis?.stop();
});

/** Why nothing that needs a signed-in user can run here (no redis-server), or undefined. */
const noRedis = testRedis.skipped ?? sessionRedis.skipped;

/**
 * Declares the suites of `declare` when Redis is there. Without it no one can sign in: one
 * `skipped:` line, and one skipped test to show for it.
 */
export async function withRedis(label: string, declare: () => unknown) {
  if (!noRedis) return declare();
  console.log(`skipped: ${label}: ${noRedis}`);
  describe.skip(label, () => it("needs Redis for its sessions"));
}

/** The password of the account `npm run seed` makes (`demo`), in the tests' processes. */
export const SEED_PASSWORD = TEST_PASSWORD;
/** Signs in as the account `npm run seed` fills: the suites that read seeded todos back are its owner. */
export const signInAsSeeded = signUpAndIn({ username: "demo", password: SEED_PASSWORD });

/**
 * Tests sign up and log in from one address far more often than people do; the suites about the
 * limits set their own.
 */
export const testLimits = { RATE_LIMIT_LOGIN: "1000/100", RATE_LIMIT_API: "10000/1000" };

export const stageDir = new URL("..", import.meta.url).pathname;
export const { freshDbPath, startCluster } = clusteredStage(stageDir, {
  TRUSTED_PROXY: "127.0.0.1",
  REDIS_URL,
  SESSION_REDIS_URL: sessionRedis.REDIS_URL,
  SEED_PASSWORD,
  ...testLimits,
});
