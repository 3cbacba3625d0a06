-- AlterTable
ALTER TABLE "KpiMemberDay" ADD COLUMN     "prevEarnedDay" TEXT,
ADD COLUMN     "prevSharedDay" TEXT;

-- Backfill: each row's member's latest earlier shared (earning) day; folds keep them from here on.
UPDATE "KpiMemberDay" t SET "prevSharedDay" = w.ps, "prevEarnedDay" = w.pe
FROM (SELECT day, "memberId",
             max(day) FILTER (WHERE shared) OVER m AS ps,
             max(day) FILTER (WHERE "earnedFen" > 0) OVER m AS pe
      FROM "KpiMemberDay"
      WINDOW m AS (PARTITION BY "memberId" ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) w
WHERE t.day = w.day AND t."memberId" = w."memberId" AND (w.ps IS NOT NULL OR w.pe IS NOT NULL);
