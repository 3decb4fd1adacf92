import { describeServerProcess } from "@zero-to-one/contract";
import { REDIS_URL, redis, stageDir, startCluster } from "./cluster.js";

// without redis-server, REDIS_URL is an address where nothing listens: the cache is bypassed
describeServerProcess(redis ? "08-secure" : "08-secure (no Redis: cache bypassed)", {
  level: 4,
  stageDir,
  startCluster,
  env: { REDIS_URL },
  startUpLine:
    /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db, cache: redis at redis:\/\/127\.0\.0\.1:\d+, 2 workers: pids \d+, \d+; primary pid \d+\)/,
});
