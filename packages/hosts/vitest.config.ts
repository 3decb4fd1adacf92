import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the topology's names (zto-…) are machine-wide: one file at a time
    fileParallelism: false,
  },
});
