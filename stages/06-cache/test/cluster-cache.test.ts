import { describeClusterCache } from "@zero-to-one/contract";
import { freshDbPath, stageDir, startCluster, testRedis } from "./cluster.js";

describeClusterCache("06-cache", {
  stageDir,
  startCluster,
  freshDbPath,
  redis: testRedis,
  startUpLine: /stage 06-cache listening on .* cache: redis at redis:\/\/127\.0\.0\.1:\d+/,
});
