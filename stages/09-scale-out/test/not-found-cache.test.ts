import { describeNotFoundCache } from "@zero-to-one/contract";
import { createNotFoundCache } from "../src/not-found-cache.js";
import { withRedis } from "./cluster.js";
import { countingStore, startWorker } from "./workers.js";

/** The user whose lookups the shared suite makes. */
const owner = "5f9b3c1e2a4d8e0012345678";

// what the cache promised in stages 06 and 07, for one user's lookups (per-user-cache.test.ts holds it
// to keeping users apart)
await withRedis("09-scale-out: ids that are not there", () =>
  describeNotFoundCache("09-scale-out", {
    createNotFoundCache: (settings) => {
      const cache = createNotFoundCache(settings);
      return { stats: cache.stats, close: cache.close, get: (id, load) => cache.get(owner, id, load) };
    },
    countingStore,
    startWorker,
  }),
);
