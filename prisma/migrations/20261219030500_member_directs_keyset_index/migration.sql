-- 我邀请的好友 pages a member's directs newest first by id (server/promotion/invitees.ts): an index on (sponsorId, id)
-- seeks to each page; it serves every lookup by sponsorId alone as well, so it replaces that index.
CREATE INDEX IF NOT EXISTS "Member_sponsorId_id_idx" ON "Member"("sponsorId", "id");

DROP INDEX IF EXISTS "Member_sponsorId_idx";
