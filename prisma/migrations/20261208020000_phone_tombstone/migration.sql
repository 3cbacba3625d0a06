-- CreateTable
CREATE TABLE "PhoneTombstone" (
    "id" SERIAL NOT NULL,
    "phoneKey" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "deletedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "PhoneTombstone_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PhoneTombstone_phoneKey_idx" ON "PhoneTombstone"("phoneKey");

-- CreateIndex
CREATE INDEX "PhoneTombstone_deletedAt_idx" ON "PhoneTombstone"("deletedAt");
