-- CreateTable
CREATE TABLE "KpiFact" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "memberId" INTEGER,
    "data" JSONB NOT NULL,

    CONSTRAINT "KpiFact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KpiDaily" (
    "day" TEXT NOT NULL,
    "paidOrders" INTEGER NOT NULL DEFAULT 0,
    "gmvFen" BIGINT NOT NULL DEFAULT 0,
    "repeatOrders" INTEGER NOT NULL DEFAULT 0,
    "referralOrders" INTEGER NOT NULL DEFAULT 0,
    "referralGmvFen" BIGINT NOT NULL DEFAULT 0,
    "refundedOrders" INTEGER NOT NULL DEFAULT 0,
    "refundedFen" BIGINT NOT NULL DEFAULT 0,
    "newMembers" INTEGER NOT NULL DEFAULT 0,
    "referredSignups" INTEGER NOT NULL DEFAULT 0,
    "newPayingMembers" INTEGER NOT NULL DEFAULT 0,
    "referredNewPaying" INTEGER NOT NULL DEFAULT 0,
    "visits" INTEGER NOT NULL DEFAULT 0,
    "commissionL1Fen" BIGINT NOT NULL DEFAULT 0,
    "commissionL2Fen" BIGINT NOT NULL DEFAULT 0,
    "commissionL3Fen" BIGINT NOT NULL DEFAULT 0,
    "commissionsPaidFen" BIGINT NOT NULL DEFAULT 0,
    "cashbackPaidFen" BIGINT NOT NULL DEFAULT 0,
    "teamBonusFen" BIGINT NOT NULL DEFAULT 0,
    "stepBonusFen" BIGINT NOT NULL DEFAULT 0,
    "pendingCommissionDelta" BIGINT NOT NULL DEFAULT 0,
    "pendingCashbackDelta" BIGINT NOT NULL DEFAULT 0,
    "withdrawingDelta" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "KpiDaily_pkey" PRIMARY KEY ("day")
);

-- CreateTable
CREATE TABLE "KpiMemberDay" (
    "day" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "earnedFen" BIGINT NOT NULL DEFAULT 0,
    "shared" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "KpiMemberDay_pkey" PRIMARY KEY ("day","memberId")
);

-- CreateIndex
CREATE UNIQUE INDEX "KpiFact_key_key" ON "KpiFact"("key");

-- CreateIndex
CREATE INDEX "KpiMemberDay_memberId_idx" ON "KpiMemberDay"("memberId");
