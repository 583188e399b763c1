import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Real-binary tests start processes and servers on loopback; keep the 2-core machine calm.
    maxWorkers: 2,
  },
});
