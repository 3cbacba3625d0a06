-- CreateEnum
CREATE TYPE "ProviderCallKind" AS ENUM ('REFUND', 'PAYOUT');

-- CreateEnum
CREATE TYPE "ProviderCallStatus" AS ENUM ('PENDING', 'DONE', 'DEAD');

-- AlterTable
ALTER TABLE "DueTransition" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAt" TIMESTAMPTZ(3),
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "ProviderCall" (
    "id" SERIAL NOT NULL,
    "kind" "ProviderCallKind" NOT NULL,
    "provider" TEXT NOT NULL,
    "idempotencyNo" TEXT NOT NULL,
    "amountFen" INTEGER NOT NULL,
    "providerTxnId" TEXT,
    "orderId" INTEGER,
    "withdrawalId" INTEGER,
    "status" "ProviderCallStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "lastError" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "ProviderCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobCursor" (
    "key" TEXT NOT NULL,
    "lastId" INTEGER NOT NULL DEFAULT 0,
    "processed" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "doneAt" TIMESTAMPTZ(3),

    CONSTRAINT "JobCursor_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProviderCall_idempotencyNo_key" ON "ProviderCall"("idempotencyNo");

-- CreateIndex
CREATE INDEX "ProviderCall_status_nextAttemptAt_idx" ON "ProviderCall"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "ProviderCall_withdrawalId_idx" ON "ProviderCall"("withdrawalId");

-- CreateIndex
CREATE INDEX "ProviderCall_orderId_idx" ON "ProviderCall"("orderId");

-- CreateIndex
CREATE INDEX "DueTransition_deadAt_idx" ON "DueTransition"("deadAt");

-- CreateIndex
CREATE INDEX "LedgerEntry_txnId_idx" ON "LedgerEntry"("txnId");
