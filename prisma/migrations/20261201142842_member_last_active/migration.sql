-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "lastActiveAt" TIMESTAMPTZ(3);
