// What the folds keep in KpiMemberDay's prev days, recomputed from scratch (the migration's backfill).
import type { Db } from "../../server/db";

/** Member-day rows whose prevSharedDay / prevEarnedDay differ from their recomputation (none when kept exactly). */
export function stalePrevDays(db: Db) {
  return db.$queryRaw<{ day: string; memberId: number; prevSharedDay: string | null; prevEarnedDay: string | null; ps: string | null; pe: string | null }[]>`
    SELECT t.day, t."memberId", t."prevSharedDay", t."prevEarnedDay", w.ps, w.pe
    FROM "KpiMemberDay" t
    JOIN (SELECT day, "memberId",
                 max(day) FILTER (WHERE shared) OVER m AS ps,
                 max(day) FILTER (WHERE "earnedFen" > 0) OVER m AS pe
          FROM "KpiMemberDay"
          WINDOW m AS (PARTITION BY "memberId" ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) w
      ON w.day = t.day AND w."memberId" = t."memberId"
    WHERE t."prevSharedDay" IS DISTINCT FROM w.ps OR t."prevEarnedDay" IS DISTINCT FROM w.pe
    ORDER BY t."memberId", t.day`;
}
