import { clusteredStage } from "@zero-to-one/test-kit";

export { allIds, exitCode, waitFor, type Cluster } from "@zero-to-one/test-kit";

export const stageDir = new URL("..", import.meta.url).pathname;
export const { freshDbPath, startCluster } = clusteredStage(stageDir, { TRUSTED_PROXY: "127.0.0.1" });
