-- CreateEnum
CREATE TYPE "ExportStatus" AS ENUM ('QUEUED', 'RUNNING', 'DONE', 'FAILED');

-- CreateEnum
CREATE TYPE "AdjustmentStatus" AS ENUM ('PENDING_APPROVAL', 'APPLIED', 'REJECTED');

-- AlterTable
ALTER TABLE "ProviderCall" ADD COLUMN     "lastAttemptAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Withdrawal" ADD COLUMN     "feeFen" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "payoutAttempt" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "ExportJob" (
    "id" SERIAL NOT NULL,
    "staffId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "status" "ExportStatus" NOT NULL DEFAULT 'QUEUED',
    "rowsTotal" INTEGER NOT NULL DEFAULT 0,
    "rowsDone" INTEGER NOT NULL DEFAULT 0,
    "fileKey" TEXT,
    "fileName" TEXT NOT NULL,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ExportJob_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobHeartbeat" (
    "name" TEXT NOT NULL,
    "lastRunAt" TIMESTAMPTZ(3) NOT NULL,
    "lastOkAt" TIMESTAMPTZ(3),
    "lastError" TEXT,
    "lastCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "JobHeartbeat_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "LedgerAdjustment" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "bucket" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "AdjustmentStatus" NOT NULL,
    "requestedById" INTEGER NOT NULL,
    "requestedAt" TIMESTAMPTZ(3) NOT NULL,
    "decidedById" INTEGER,
    "decidedAt" TIMESTAMPTZ(3),
    "decisionNote" TEXT,

    CONSTRAINT "LedgerAdjustment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ExportJob_staffId_createdAt_idx" ON "ExportJob"("staffId", "createdAt");

-- CreateIndex
CREATE INDEX "ExportJob_status_createdAt_idx" ON "ExportJob"("status", "createdAt");

-- CreateIndex
CREATE INDEX "LedgerAdjustment_status_requestedAt_idx" ON "LedgerAdjustment"("status", "requestedAt");

-- CreateIndex
CREATE INDEX "LedgerAdjustment_memberId_requestedAt_idx" ON "LedgerAdjustment"("memberId", "requestedAt");

-- CreateIndex
CREATE INDEX "Withdrawal_status_createdAt_idx" ON "Withdrawal"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "ExportJob" ADD CONSTRAINT "ExportJob_staffId_fkey" FOREIGN KEY ("staffId") REFERENCES "StaffAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Withdrawal" ADD CONSTRAINT "Withdrawal_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "StaffAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "StaffAccount"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written: the fee is part of the requested amount and never all of it.
ALTER TABLE "Withdrawal" ADD CONSTRAINT "Withdrawal_fee_check" CHECK ("feeFen" >= 0 AND "feeFen" < "amountFen");

-- Hand-written: an adjustment moves money (never 0), only in the buckets finance may correct, and
-- the database itself refuses an adjustment applied by the account that requested it (two people).
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_amount_check" CHECK ("amountFen" <> 0);
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_bucket_check" CHECK ("bucket" IN ('pending', 'available', 'credit'));
ALTER TABLE "LedgerAdjustment" ADD CONSTRAINT "LedgerAdjustment_two_person_check" CHECK ("status" <> 'APPLIED' OR "decidedById" IS NULL OR "decidedById" <> "requestedById");
