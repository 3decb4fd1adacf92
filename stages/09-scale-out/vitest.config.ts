import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // these tests start whole clusters (and nginx): give a loaded machine time, and run one file at a time
    hookTimeout: 60_000,
    testTimeout: 30_000,
    fileParallelism: false,
  },
});
