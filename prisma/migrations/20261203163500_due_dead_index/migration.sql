-- Staff list and retry the dead-lettered transitions (deadAt set): a handful of rows. The index of every
-- row's deadAt, nearly all NULL, cost an entry per transition scheduled or done and served nothing else.
DROP INDEX "DueTransition_deadAt_idx";

-- CreateIndex
CREATE INDEX "DueTransition_dead_idx" ON "DueTransition" ("deadAt") WHERE "deadAt" IS NOT NULL;
