-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "key" TEXT,
ADD COLUMN     "params" JSONB;
