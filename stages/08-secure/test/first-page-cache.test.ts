import { describeFirstPageCache } from "@zero-to-one/contract";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createRedisClient } from "../src/redis-client.js";
import { createRedisLock } from "../src/redis-lock.js";
import { shouldRefreshEarly } from "../src/xfetch.js";

/** The user whose page the shared suite reads and invalidates. */
const owner = "5f9b3c1e2a4d8e0012345678";

// everything the cache promised in stages 06 and 07, now for one user's page of a cache that keeps a
// page per user (per-user-cache.test.ts holds it to keeping users apart)
await describeFirstPageCache("08-secure", {
  createFirstPageCache: (settings) => {
    const cache = createFirstPageCache(settings);
    return {
      stats: cache.stats,
      read: () => cache.read(owner),
      invalidate: () => cache.invalidate(owner),
      redisState: cache.redisState,
      whenUp: cache.whenUp,
      close: cache.close,
    };
  },
  pageKey: (namespace) => `${namespace}:${owner}:page`,
  holdersKey: (namespace) => `${namespace}:${owner}:holders`,
  createRedisClient,
  createRedisLock,
  shouldRefreshEarly,
});
