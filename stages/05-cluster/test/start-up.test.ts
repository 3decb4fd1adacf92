import { describeClusterStartUp } from "@zero-to-one/contract";
import { stageDir } from "./cluster.js";

describeClusterStartUp({ stageDir });
