-- AlterTable
ALTER TABLE "KpiDaily" ADD COLUMN     "availableDelta" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "creditDelta" BIGINT NOT NULL DEFAULT 0;

-- Backfill from the ledger: members' available and credit balances moved per merchant-local day (the time
-- zone of the rules in force now), so the dashboard's liabilities hold from the first day on.
WITH zone AS (
  SELECT COALESCE((SELECT config->>'timeZone' FROM "RuleVersion" WHERE "effectiveAt" <= now() ORDER BY "effectiveAt" DESC, version DESC LIMIT 1), 'Asia/Shanghai') AS tz
), moved AS (
  SELECT to_char(e."createdAt" AT TIME ZONE zone.tz, 'YYYY-MM-DD') AS day,
         SUM(e."amountFen") FILTER (WHERE e.bucket = 'available') AS available,
         SUM(e."amountFen") FILTER (WHERE e.bucket = 'credit') AS credit
  FROM "LedgerEntry" e CROSS JOIN zone
  WHERE e."memberId" IS NOT NULL AND e.bucket IN ('available', 'credit')
  GROUP BY 1
)
INSERT INTO "KpiDaily" (day, "availableDelta", "creditDelta")
SELECT day, COALESCE(available, 0), COALESCE(credit, 0) FROM moved
ON CONFLICT (day) DO UPDATE SET "availableDelta" = EXCLUDED."availableDelta", "creditDelta" = EXCLUDED."creditDelta";
