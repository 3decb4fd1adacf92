import { describeClusterProcess } from "@zero-to-one/contract";
import { REDIS_URL, stageDir, startCluster } from "./cluster.js";

describeClusterProcess({
  stageDir,
  startCluster,
  env: { REDIS_URL },
  startUpLine:
    /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db, cache: redis at redis:\/\/127\.0\.0\.1:\d+, 2 workers: pids \d+, \d+; primary pid \d+\)/,
});
