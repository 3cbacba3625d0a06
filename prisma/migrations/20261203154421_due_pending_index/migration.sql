-- The sweeps read the pending transitions in due order (the claim, the earliest due time). An index of
-- only those rows stays small however many are done, and gives the same plan whatever the statistics.
DROP INDEX "DueTransition_doneAt_dueAt_idx";

-- CreateIndex
CREATE INDEX "DueTransition_pending_idx" ON "DueTransition" ("dueAt", id) WHERE "doneAt" IS NULL AND "deadAt" IS NULL;
