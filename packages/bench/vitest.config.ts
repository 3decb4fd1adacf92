import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // the tests without a timeout of their own start a server or a command line: seconds, not
    // milliseconds, on a machine busy with the other workspaces' suites
    testTimeout: 30_000,
  },
});
