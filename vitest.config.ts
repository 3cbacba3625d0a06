import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["tests/**/*.test.ts", "server/**/*.test.ts", "inngest/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // Migrates once per run (PGlite snapshot, PostgreSQL template), not once per test file.
    globalSetup: ["tests/helpers/global-setup.ts"],
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
