import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the docs' shell blocks run three at a time (each on its own ports and data), on 2 cores
    maxConcurrency: 3,
  },
});
