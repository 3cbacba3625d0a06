-- AlterEnum
ALTER TYPE "DueKind" ADD VALUE 'STEP_BONUS';

-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "distributorSince" TIMESTAMPTZ(3),
ADD COLUMN     "frozenAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "StepBonus" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "month" TEXT NOT NULL,
    "salesFen" INTEGER NOT NULL,
    "bps" INTEGER NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StepBonus_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StepBonus_memberId_month_key" ON "StepBonus"("memberId", "month");

-- CreateIndex
CREATE INDEX "GmvCredit_depth_completedAt_idx" ON "GmvCredit"("depth", "completedAt");
