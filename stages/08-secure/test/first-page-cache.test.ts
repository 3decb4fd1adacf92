import { describeFirstPageCache } from "@zero-to-one/contract";
import { createFirstPageCache } from "../src/first-page-cache.js";
import { createRedisClient } from "../src/redis-client.js";
import { createRedisLock } from "../src/redis-lock.js";
import { shouldRefreshEarly } from "../src/xfetch.js";

await describeFirstPageCache("08-secure", {
  createFirstPageCache,
  createRedisClient,
  createRedisLock,
  shouldRefreshEarly,
});
