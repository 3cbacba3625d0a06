-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "deletedAt" TIMESTAMPTZ(3);
