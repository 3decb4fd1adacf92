import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // one browser page walks every page of the site in turn
    testTimeout: 30_000,
  },
});
