-- AlterTable
ALTER TABLE "Withdrawal" ADD COLUMN     "confirmParams" JSONB,
ADD COLUMN     "confirmIssuedAt" TIMESTAMPTZ(3);
