-- CreateEnum
CREATE TYPE "ExperimentStatus" AS ENUM ('RUNNING', 'ENDED');

-- AlterTable
ALTER TABLE "RebateTask" ADD COLUMN     "experimentId" INTEGER,
ADD COLUMN     "variant" TEXT;

-- CreateTable
CREATE TABLE "Experiment" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "hypothesis" TEXT NOT NULL,
    "status" "ExperimentStatus" NOT NULL DEFAULT 'RUNNING',
    "variantPercent" INTEGER NOT NULL,
    "salt" TEXT NOT NULL,
    "variantRebate" JSONB NOT NULL,
    "createdByStaffId" INTEGER NOT NULL,
    "startedAt" TIMESTAMPTZ(3) NOT NULL,
    "endedAt" TIMESTAMPTZ(3),
    "endedByStaffId" INTEGER,
    "winner" TEXT,
    "promotedVersion" INTEGER,

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Experiment_status_startedAt_idx" ON "Experiment"("status", "startedAt");

-- CreateIndex
CREATE INDEX "RebateTask_experimentId_variant_idx" ON "RebateTask"("experimentId", "variant");

-- AddForeignKey
ALTER TABLE "RebateTask" ADD CONSTRAINT "RebateTask_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- At most one experiment runs at a time: a new anchor order is split by one experiment only.
CREATE UNIQUE INDEX "Experiment_one_running" ON "Experiment" ("status") WHERE "status" = 'RUNNING';

-- The variant is A or B, and set exactly when the task belongs to an experiment.
ALTER TABLE "RebateTask" ADD CONSTRAINT "RebateTask_variant_check"
  CHECK (("experimentId" IS NULL AND "variant" IS NULL) OR ("experimentId" IS NOT NULL AND "variant" IN ('A', 'B')));
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_variantPercent_check" CHECK ("variantPercent" BETWEEN 1 AND 99);
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_winner_check" CHECK ("winner" IS NULL OR "winner" IN ('A', 'B'));
