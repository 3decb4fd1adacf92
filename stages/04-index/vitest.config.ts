import { defineConfig } from "vitest/config";

// These tests start real processes (servers, the seed script); a busy machine makes them slow, not wrong.
export default defineConfig({ test: { testTimeout: 30_000, hookTimeout: 30_000 } });
