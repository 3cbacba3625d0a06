-- AlterTable
ALTER TABLE "Commission" ADD COLUMN     "ruleVersionId" INTEGER;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "ruleVersionId" INTEGER;

-- AlterTable
ALTER TABLE "RebateTask" ADD COLUMN     "ruleVersionId" INTEGER;

-- CreateTable
CREATE TABLE "RuleVersion" (
    "id" SERIAL NOT NULL,
    "version" INTEGER NOT NULL,
    "config" JSONB NOT NULL,
    "authorStaffId" INTEGER,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "effectiveAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RuleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RuleVersion_version_key" ON "RuleVersion"("version");

-- CreateIndex
CREATE INDEX "RuleVersion_effectiveAt_version_idx" ON "RuleVersion"("effectiveAt", "version");

-- AddForeignKey
ALTER TABLE "Commission" ADD CONSTRAINT "Commission_ruleVersionId_fkey" FOREIGN KEY ("ruleVersionId") REFERENCES "RuleVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_ruleVersionId_fkey" FOREIGN KEY ("ruleVersionId") REFERENCES "RuleVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RebateTask" ADD CONSTRAINT "RebateTask_ruleVersionId_fkey" FOREIGN KEY ("ruleVersionId") REFERENCES "RuleVersion"("id") ON DELETE SET NULL ON UPDATE CASCADE;
