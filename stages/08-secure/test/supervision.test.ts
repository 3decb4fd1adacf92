import { describeClusterLifecycle } from "@zero-to-one/contract";
import { freshDbPath, startCluster } from "./cluster.js";

describeClusterLifecycle({ startCluster, freshDbPath });
