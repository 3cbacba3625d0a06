-- The back office's 已注销 filter counts and lists the deleted accounts: a handful of rows. An index of only
-- those stays small however many members there are; a full index of deletedAt, nearly all NULL, would not.
CREATE INDEX "Member_deleted_idx" ON "Member" ("deletedAt") WHERE "deletedAt" IS NOT NULL;
