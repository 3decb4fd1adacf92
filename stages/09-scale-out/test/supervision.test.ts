import { describeClusterLifecycle } from "@zero-to-one/contract";
import { freshDbPath, signInAsSeeded, startCluster, withRedis } from "./cluster.js";

// the load of these tests is a signed-in user's: one session, used by every worker
await withRedis("09-scale-out: the cluster's supervision and life-cycle", () =>
  describeClusterLifecycle({ startCluster, freshDbPath, signIn: signInAsSeeded }),
);
