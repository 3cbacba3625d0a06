-- CreateTable
CREATE TABLE "ReconciliationRun" (
    "id" SERIAL NOT NULL,
    "provider" TEXT NOT NULL,
    "billDate" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "billCount" INTEGER NOT NULL DEFAULT 0,
    "billTotalFen" INTEGER NOT NULL DEFAULT 0,
    "ourCount" INTEGER NOT NULL DEFAULT 0,
    "ourTotalFen" INTEGER NOT NULL DEFAULT 0,
    "differences" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "ranAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ReconciliationRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReconciliationRun_billDate_idx" ON "ReconciliationRun"("billDate");

-- CreateIndex
CREATE UNIQUE INDEX "ReconciliationRun_provider_billDate_key" ON "ReconciliationRun"("provider", "billDate");
