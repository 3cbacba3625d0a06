-- The risk page's 已冻结 list (server/risk/view.ts frozenMembersPage): the frozen, undeleted accounts, most recently
-- frozen first, a keyset page at a time; only those rows, so the list reads a few index entries, not every member.
CREATE INDEX "Member_frozen_list_idx" ON "Member" ("frozenAt" DESC, id DESC) WHERE frozen AND "deletedAt" IS NULL;
