-- The KPI comparison's cut day (server/kpi/dashboard.ts rawTotals) reads a slice of one day of each of these
-- by time: by index, however large the tables grow. Built in the migration's transaction, they block writes to these
-- tables while they build: on a large database create them first with CREATE INDEX CONCURRENTLY IF NOT EXISTS (same
-- names and definitions; README "Upgrading"), and this migration finds them there.
-- CreateIndex
CREATE INDEX IF NOT EXISTS "Commission_createdAt_idx" ON "Commission"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "LedgerTxn_createdAt_idx" ON "LedgerTxn"("createdAt");

-- CreateIndex
CREATE INDEX IF NOT EXISTS "ReferralVisit_createdAt_idx" ON "ReferralVisit"("createdAt");

-- Refunded orders only (a partial index, which Prisma cannot express: it lives here alone).
CREATE INDEX IF NOT EXISTS "Order_refundedAt_idx" ON "Order" ("refundedAt") WHERE "refundedAt" IS NOT NULL;
