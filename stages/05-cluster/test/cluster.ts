import {
  freshDbPath as tempDbPath,
  startCluster as startClusterIn,
  type Cluster,
} from "@zero-to-one/test-kit";

export { allIds, exitCode, waitFor, type Cluster } from "@zero-to-one/test-kit";

export const stageDir = new URL("..", import.meta.url).pathname;

/** A fresh SQLite file that several clusters in one test can share (to check what survived). */
export const freshDbPath = () => tempDbPath("zto-05-");

/** Starts `npm start` of this stage as a real process and waits until every worker listens. */
export const startCluster = (env: Record<string, string> = {}): Promise<Cluster> =>
  startClusterIn({
    cwd: stageDir,
    env: { WORKERS: "2", DB_PATH: freshDbPath(), MONGO_URL: "", TRUSTED_PROXY: "127.0.0.1", ...env },
  });
