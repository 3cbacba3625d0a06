-- The KPI comparison's cut day (server/kpi/dashboard.ts rawTotals) reads a slice of one day of each of these
-- by time: by index, however large the tables grow.
-- CreateIndex
CREATE INDEX "Commission_createdAt_idx" ON "Commission"("createdAt");

-- CreateIndex
CREATE INDEX "LedgerTxn_createdAt_idx" ON "LedgerTxn"("createdAt");

-- CreateIndex
CREATE INDEX "ReferralVisit_createdAt_idx" ON "ReferralVisit"("createdAt");

-- Refunded orders only (a partial index, which Prisma cannot express: it lives here alone).
CREATE INDEX "Order_refundedAt_idx" ON "Order" ("refundedAt") WHERE "refundedAt" IS NOT NULL;
