import { describeClusterCache } from "@zero-to-one/contract";
import { freshDbPath, stageDir, startCluster, testRedis } from "./cluster.js";

describeClusterCache("07-queue", {
  stageDir,
  startCluster,
  freshDbPath,
  redis: testRedis,
  startUpLine: /stage 07-queue listening on .* cache: redis at redis:\/\/127\.0\.0\.1:\d+/,
});
