import { basename } from "node:path";
import { freshDbPath, startCluster, type Cluster } from "./cluster.js";

/**
 * A clustered stage (05+) as its tests start it: `npm start` in `stageDir` as a real process, two
 * workers on a fresh SQLite file and no MongoDB, then the stage's own `stageEnv`, then a test's `env`.
 */
export function clusteredStage(stageDir: string, stageEnv: Record<string, string> = {}) {
  const freshDbPathHere = () => freshDbPath(`zto-${basename(stageDir)}-`);
  return {
    /** A fresh SQLite file that several clusters in one test can share (to check what survived). */
    freshDbPath: freshDbPathHere,
    /** Starts the built stage and waits until every worker listens. */
    startCluster: (env: Record<string, string> = {}): Promise<Cluster> =>
      startCluster({
        cwd: stageDir,
        env: { WORKERS: "2", DB_PATH: freshDbPathHere(), MONGO_URL: "", ...stageEnv, ...env },
      }),
  };
}
