-- The KPI leaderboard and active distributors leave out voided commissions: a commission voided before this
-- release gets the fact a void now records (negative earnings on the day it was earned, in the time zone of the
-- rules in force), folded by the next KPI run like any other.
WITH zone AS (
  SELECT COALESCE(
    (SELECT config->>'timeZone' FROM "RuleVersion" WHERE "effectiveAt" <= now() ORDER BY "effectiveAt" DESC, version DESC LIMIT 1),
    (SELECT data->>'timeZone' FROM "MallConfig" WHERE id = 'default'),
    'Asia/Shanghai') AS tz
)
INSERT INTO "KpiFact" (key, day, kind, "memberId", data)
SELECT 'commission:' || c.id || ':void', to_char(c."createdAt" AT TIME ZONE zone.tz, 'YYYY-MM-DD'), 'commission_void', c."beneficiaryId",
       jsonb_build_object('deltas', '{}'::jsonb, 'earnedFen', -c."amountFen")
FROM "Commission" c CROSS JOIN zone
WHERE c.status = 'VOID' AND c."amountFen" > 0
ON CONFLICT (key) DO NOTHING;
