-- AlterEnum
ALTER TYPE "DueKind" ADD VALUE 'REBATE_DEADLINE_REMINDER';

-- AlterTable
ALTER TABLE "Address" ADD COLUMN     "areaCode" TEXT;

-- AlterTable
ALTER TABLE "CartItem" ADD COLUMN     "selected" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "RebateTask" ADD COLUMN     "deadlineRemindedAt" TIMESTAMPTZ(3);
