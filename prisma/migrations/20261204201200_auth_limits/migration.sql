-- AlterTable
ALTER TABLE "StaffAccount" ADD COLUMN     "totpFailedAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "totpLockedUntil" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "RevokedMemberSession" (
    "sessionId" TEXT NOT NULL,
    "memberId" INTEGER NOT NULL,
    "revokedAt" TIMESTAMPTZ(3) NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RevokedMemberSession_pkey" PRIMARY KEY ("sessionId")
);

-- CreateTable
CREATE TABLE "StaffSignInFailure" (
    "id" SERIAL NOT NULL,
    "ipKey" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "StaffSignInFailure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RevokedMemberSession_expiresAt_idx" ON "RevokedMemberSession"("expiresAt");

-- CreateIndex
CREATE INDEX "StaffSignInFailure_ipKey_at_idx" ON "StaffSignInFailure"("ipKey", "at");

-- CreateIndex
CREATE INDEX "StaffSignInFailure_at_idx" ON "StaffSignInFailure"("at");
