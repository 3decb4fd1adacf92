import { describeClusterCache } from "@zero-to-one/contract";
import { freshDbPath, redis, stageDir, startCluster } from "./cluster.js";

describeClusterCache("07-queue", {
  stageDir,
  startCluster,
  freshDbPath,
  redis,
  startUpLine: /stage 07-queue listening on .* cache: redis at redis:\/\/127\.0\.0\.1:\d+/,
});
