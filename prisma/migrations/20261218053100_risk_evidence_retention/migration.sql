-- The retention sweep (server/privacy/retention.ts) clears the personal evidence of risk events (IP address, device and
-- address fingerprints) 180 days after their review was decided, oldest first. Only events still holding some are indexed,
-- so once they are cleared the daily check reads a small index.
CREATE INDEX IF NOT EXISTS "RiskEvent_personal_evidence_idx" ON "RiskEvent" ("createdAt") WHERE evidence ?| ARRAY['ip', 'device', 'addressHash'];

-- ... and asks of each candidate whether a flag of it is open or was decided within the period.
CREATE INDEX IF NOT EXISTS "RiskFlag_eventId_idx" ON "RiskFlag"("eventId");
