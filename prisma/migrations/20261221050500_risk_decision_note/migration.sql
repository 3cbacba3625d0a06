-- A risk review's note (SPEC §8): why the reviewer approved or rejected, kept on each flag decided at once.
-- A rejection voids money, so the back office requires it there (server/risk/review.ts); older decisions have none.

-- AlterTable
ALTER TABLE "RiskFlag" ADD COLUMN     "decisionNote" TEXT;
