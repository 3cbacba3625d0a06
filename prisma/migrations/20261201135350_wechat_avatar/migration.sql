-- AlterTable
ALTER TABLE "Member" ADD COLUMN     "avatarUrl" TEXT;
