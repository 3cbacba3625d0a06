import { defineConfig } from "vitest/config";

// Files that set environment variables or mock modules before importing the app: each gets fresh
// modules. Every other file shares its worker's modules with the files before it (isolate: false),
// which saves loading Prisma, PGlite and the app once per file (the PGlite stage: 351 s → ~160 s).
const OWN_MODULES = [
  "tests/jssdk-failure-cache.test.ts",
  "tests/media-private.test.ts",
  "tests/api-hardening.test.ts",
  "tests/cookie-secure-behind-proxy.test.ts",
  "tests/experiment-offer-pages.test.ts",
  "tests/export-route-refusals.test.ts",
  "tests/kpi-period-refusal.test.ts",
  "tests/kpi-export.test.ts",
  "tests/lighthouse-shop-pages.test.ts",
  "tests/log-redaction.test.ts",
  "tests/og-cache.test.ts",
  "tests/otp-send-failure.test.ts",
  "tests/integration/account-deletion.test.ts",
  "tests/integration/production.test.ts",
  "tests/integration/two-instances.test.ts",
  "tests/page-cache.test.ts",
  "tests/payment-notify-route.test.ts",
  "tests/posters.test.ts",
  "tests/production-start.test.ts",
  "tests/referral-codes.test.ts",
  "tests/providers/*.test.ts",
  "tests/security-headers.test.ts",
  "tests/security-routes.test.ts",
  "tests/share-code-decode.test.ts",
  "tests/shop-setup.test.ts",
  "tests/sms-code-refusal-wait.test.ts",
  "tests/storage.test.ts",
  "tests/test-routes-guard.test.ts",
  "tests/trpc-batch-limit.test.ts",
  "tests/upload-decode-budget.test.ts",
  "tests/upload-limits.test.ts",
  "tests/withdrawal-batch-approve.test.ts",
];

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    environment: "node",
    pool: "forks",
    // Migrates once per run (PGlite snapshot, PostgreSQL template), not once per test file.
    globalSetup: ["tests/helpers/global-setup.ts"],
    maxWorkers: 2,
    testTimeout: 180_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: "shared", include: ["tests/**/*.test.ts", "server/**/*.test.ts", "inngest/**/*.test.ts"], exclude: OWN_MODULES, isolate: false },
      },
      { extends: true, test: { name: "own-modules", include: OWN_MODULES } },
    ],
  },
});
