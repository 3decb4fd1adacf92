import { describeBehindNginx } from "@zero-to-one/contract";
import { stageDir, startCluster } from "./cluster.js";

await describeBehindNginx("08-secure", { stageDir, startCluster });
