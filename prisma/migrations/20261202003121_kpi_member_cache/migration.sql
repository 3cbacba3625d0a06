-- DropIndex
DROP INDEX "KpiMemberDay_memberId_idx";

-- AlterTable
ALTER TABLE "KpiDaily" ADD COLUMN     "memberVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "KpiMemberCache" (
    "fromDay" TEXT NOT NULL,
    "toDay" TEXT NOT NULL,
    "stamp" BIGINT NOT NULL,
    "sharers" INTEGER NOT NULL,
    "earners" INTEGER NOT NULL,
    "top" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KpiMemberCache_pkey" PRIMARY KEY ("fromDay","toDay")
);

-- CreateIndex
CREATE INDEX "KpiMemberCache_createdAt_idx" ON "KpiMemberCache"("createdAt");

-- CreateIndex
CREATE INDEX "KpiMemberDay_memberId_day_earnedFen_shared_idx" ON "KpiMemberDay"("memberId", "day", "earnedFen", "shared");
