import { describeClusterCache } from "@zero-to-one/contract";
import { freshDbPath, signInAsSeeded, stageDir, startCluster, testRedis } from "./cluster.js";

// signed in as the account `npm run seed` fills: the suite reads the seeded todos back
describeClusterCache("09-scale-out", {
  stageDir,
  startCluster,
  freshDbPath,
  redis: testRedis,
  signIn: signInAsSeeded,
  startUpLine:
    /stage 09-scale-out listening on .* cache: redis at redis:\/\/…@127\.0\.0\.1:\d+, sessions: redis at/,
});
