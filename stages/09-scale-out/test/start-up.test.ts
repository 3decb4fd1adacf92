import { describeClusterStartUp } from "@zero-to-one/contract";
import { REDIS_URL, stageDir } from "./cluster.js";

describeClusterStartUp({ stageDir, env: { REDIS_URL } });
