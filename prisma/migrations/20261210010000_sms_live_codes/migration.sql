-- AlterTable
ALTER TABLE "OtpCode" ADD COLUMN     "verifiedNetwork" TEXT;

-- CreateTable
CREATE TABLE "OtpVerifyFailure" (
    "id" SERIAL NOT NULL,
    "network" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OtpVerifyFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OtpVerifyFailure_network_at_idx" ON "OtpVerifyFailure"("network", "at");

-- CreateIndex
CREATE INDEX "OtpVerifyFailure_at_idx" ON "OtpVerifyFailure"("at");

