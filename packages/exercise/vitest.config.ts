import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // a check runs a whole stage's tests in a vitest of its own: one file at a time on 2 cores
    fileParallelism: false,
  },
});
