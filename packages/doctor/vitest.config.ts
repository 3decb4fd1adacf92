import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // a diagnosis starts every program it probes (and the tour's probes start theirs): seconds, not
    // milliseconds, on a machine busy with the other workspaces' suites
    testTimeout: 30_000,
  },
});
