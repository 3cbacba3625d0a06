-- The category's edit version: a save from a form loaded before someone else's change is refused.
ALTER TABLE "Category" ADD COLUMN "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
