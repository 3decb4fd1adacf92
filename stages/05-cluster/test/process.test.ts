import { describeServerProcess } from "@zero-to-one/contract";
import { stageDir, startCluster } from "./cluster.js";

describeServerProcess("05-cluster", {
  level: 4,
  stageDir,
  startCluster,
  startUpLine:
    /listening on http:\/\/127\.0\.0\.1:\d+\/todo \(store: sqlite at .*restart\.db, 2 workers: pids \d+, \d+; primary pid \d+\)/,
});
