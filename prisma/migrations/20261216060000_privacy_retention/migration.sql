-- The retention sweep (server/privacy/retention.ts) deletes SMS codes older than the 90 days any read reaches, oldest first.
CREATE INDEX "OtpCode_createdAt_idx" ON "OtpCode"("createdAt");

-- ... and staff sessions ended more than 90 days ago: every session has ended by its expiresAt.
CREATE INDEX "StaffSession_expiresAt_idx" ON "StaffSession"("expiresAt");

-- Share-link visits no longer store the visitor id; the sweep clears the ids kept before, in batches. Only rows still
-- holding one are indexed, so once they are cleared the daily check reads an empty index.
CREATE INDEX "ReferralVisit_visitorId_idx" ON "ReferralVisit" ("id") WHERE "visitorId" IS NOT NULL;
