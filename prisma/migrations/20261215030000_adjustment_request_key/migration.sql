-- A resent manual adjustment (lost answer, double click) returns the one it made instead of paying again.
-- AlterTable: null on adjustments made before the key
ALTER TABLE "LedgerAdjustment" ADD COLUMN     "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "LedgerAdjustment_requestedById_requestKey_key" ON "LedgerAdjustment"("requestedById", "requestKey");
