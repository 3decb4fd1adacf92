import { describeClusterCache } from "@zero-to-one/contract";
import { freshDbPath, stageDir, startCluster, testRedis } from "./cluster.js";

describeClusterCache("08-secure", {
  stageDir,
  startCluster,
  freshDbPath,
  redis: testRedis,
  startUpLine: /stage 08-secure listening on .* cache: redis at redis:\/\/127\.0\.0\.1:\d+/,
});
