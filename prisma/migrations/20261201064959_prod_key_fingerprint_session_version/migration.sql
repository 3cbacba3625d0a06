-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "KeyFingerprint" (
    "purpose" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "KeyFingerprint_pkey" PRIMARY KEY ("purpose")
);
