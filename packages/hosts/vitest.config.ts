import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the topology's names (zto-…) are machine-wide: one file at a time
    fileParallelism: false,
    // each test runs the CLI as a process of its own: 8 to 17 s apiece under CI's load, not 5
    testTimeout: 60_000,
  },
});
