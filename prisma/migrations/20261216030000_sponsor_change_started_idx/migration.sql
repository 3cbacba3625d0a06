-- A month's close and the team bonus's late runs rebuild the sponsor tree at an instant from the changes started since
-- ("startedAt" > instant, server/tiers/at-close.ts): only started changes, a few among the requests, whose NULLs the
-- index leaves out (a range on "startedAt" implies NOT NULL, so the planner takes it).
CREATE INDEX "SponsorChangeRequest_started_idx" ON "SponsorChangeRequest" ("startedAt") WHERE "startedAt" IS NOT NULL;
