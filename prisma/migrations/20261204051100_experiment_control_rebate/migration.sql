-- Variant A's 推三返一 settings, recorded when an experiment ends: the report of an ended experiment read
-- A's settings from the rules in force at its end, which (when B won) are B's promoted settings.
-- Experiments ended before this column keep NULL; the report reads the rules in force just before their end.
-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "controlRebate" JSONB;
