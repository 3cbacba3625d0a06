-- AlterTable
ALTER TABLE "Withdrawal" ADD COLUMN     "requestKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Withdrawal_memberId_requestKey_key" ON "Withdrawal"("memberId", "requestKey");
