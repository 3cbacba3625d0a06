-- KPI repurchase rate by members (members with a paid order that is not their first ÷ members with a paid order),
-- from per-member days like the K-factor's sharers; new paying members less those whose first paid order is refunded.

-- AlterTable
ALTER TABLE "KpiMemberDay" ADD COLUMN     "paid" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "repeated" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "prevPaidDay" TEXT,
ADD COLUMN     "prevRepeatDay" TEXT;

-- AlterTable
ALTER TABLE "KpiMemberCache" ADD COLUMN     "payers" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "repeaters" INTEGER NOT NULL DEFAULT 0;

-- Cached periods have no payers yet: computed again on their next read.
DELETE FROM "KpiMemberCache";

-- Backfill: each member's days with a paid order (and one not their first paid order) from the orders paid before
-- this release, on the merchant day of the time zone of the rules in force. Setting a flag twice is harmless, so an
-- order_paid fact still pending folds on top of it unchanged.
WITH zone AS (
  SELECT COALESCE(
    (SELECT config->>'timeZone' FROM "RuleVersion" WHERE "effectiveAt" <= now() ORDER BY "effectiveAt" DESC, version DESC LIMIT 1),
    (SELECT data->>'timeZone' FROM "MallConfig" WHERE id = 'default'),
    'Asia/Shanghai') AS tz
)
INSERT INTO "KpiMemberDay" (day, "memberId", paid, repeated)
SELECT to_char(o."paidAt" AT TIME ZONE zone.tz, 'YYYY-MM-DD'), o."memberId", true, bool_or(m."firstPaidOrderId" <> o.id)
FROM "Order" o JOIN "Member" m ON m.id = o."memberId" CROSS JOIN zone
WHERE o."paidAt" IS NOT NULL
GROUP BY 1, 2
ON CONFLICT (day, "memberId") DO UPDATE SET paid = true, repeated = EXCLUDED.repeated;

-- Every row's prev days (the new rows need their shared and earning ones too); folds keep them from here on.
UPDATE "KpiMemberDay" t SET "prevSharedDay" = w.ps, "prevEarnedDay" = w.pe, "prevPaidDay" = w.pp, "prevRepeatDay" = w.pr
FROM (SELECT day, "memberId",
             max(day) FILTER (WHERE shared) OVER m AS ps,
             max(day) FILTER (WHERE "earnedFen" > 0) OVER m AS pe,
             max(day) FILTER (WHERE paid) OVER m AS pp,
             max(day) FILTER (WHERE repeated) OVER m AS pr
      FROM "KpiMemberDay"
      WINDOW m AS (PARTITION BY "memberId" ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) w
WHERE t.day = w.day AND t."memberId" = w."memberId"
  AND (t."prevSharedDay" IS DISTINCT FROM w.ps OR t."prevEarnedDay" IS DISTINCT FROM w.pe
       OR t."prevPaidDay" IS DISTINCT FROM w.pp OR t."prevRepeatDay" IS DISTINCT FROM w.pr);

-- A first paid order refunded before this release leaves the new paying members (and the referred ones, by the
-- sponsor when it was paid) on the day of its refund, as a refund now records it: a fact folded by the next KPI run.
WITH zone AS (
  SELECT COALESCE(
    (SELECT config->>'timeZone' FROM "RuleVersion" WHERE "effectiveAt" <= now() ORDER BY "effectiveAt" DESC, version DESC LIMIT 1),
    (SELECT data->>'timeZone' FROM "MallConfig" WHERE id = 'default'),
    'Asia/Shanghai') AS tz
)
INSERT INTO "KpiFact" (key, day, kind, "memberId", data)
SELECT 'order_refunded:' || o.id || ':first_paid', to_char(o."refundedAt" AT TIME ZONE zone.tz, 'YYYY-MM-DD'), 'order_refunded', NULL,
       jsonb_build_object('deltas', jsonb_strip_nulls(jsonb_build_object(
         'newPayingMembers', -1,
         'referredNewPaying', CASE WHEN (SELECT CASE WHEN count(*) = 0 THEN m."sponsorId" ELSE (array_agg(r."fromSponsorId" ORDER BY r."startedAt", r.id))[1] END
                                         FROM "SponsorChangeRequest" r WHERE r."memberId" = m.id AND r."startedAt" > o."paidAt") IS NOT NULL THEN -1 END)))
FROM "Order" o JOIN "Member" m ON m."firstPaidOrderId" = o.id CROSS JOIN zone
WHERE o."refundedAt" IS NOT NULL
ON CONFLICT (key) DO NOTHING;
