-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "clientKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Order_memberId_clientKey_key" ON "Order"("memberId", "clientKey");
