-- AlterTable
ALTER TABLE "PaymentIntent" ADD COLUMN     "cashierParams" JSONB;

-- CreateTable
CREATE TABLE "ExternalAccount" (
    "id" SERIAL NOT NULL,
    "memberId" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "appId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "unionId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ExternalAccount_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExternalAccount_platform_appId_subject_key" ON "ExternalAccount"("platform", "appId", "subject");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalAccount_memberId_platform_appId_key" ON "ExternalAccount"("memberId", "platform", "appId");

-- CreateIndex
CREATE INDEX "PaymentIntent_status_createdAt_idx" ON "PaymentIntent"("status", "createdAt");

-- AddForeignKey
ALTER TABLE "ExternalAccount" ADD CONSTRAINT "ExternalAccount_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
