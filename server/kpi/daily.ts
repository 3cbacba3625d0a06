// Folds KPI facts into the daily aggregates: a batch of facts is deleted and added to its days in
// one transaction, so each event counts exactly once, whoever folds (the in-process sweep, a
// dashboard read) and however often.
import type { Db } from "../db";
import { DAILY_METRICS, type DailyMetric, type FactData } from "./facts";

const BATCH = 5000;

interface FactRow {
  day: string;
  memberId: number | null;
  data: FactData;
}

/** Folds every pending fact. Returns how many were folded. */
export async function foldKpiFacts(db: Db, batch = BATCH): Promise<number> {
  // Every dashboard read folds first: with nothing pending that is one indexed read, not a transaction.
  if (!(await db.kpiFact.findFirst({ select: { id: true } }))) return 0;
  let total = 0;
  for (;;) {
    const n = await db.$transaction(async (tx) => {
      const facts = await tx.$queryRaw<FactRow[]>`
        DELETE FROM "KpiFact" WHERE id IN (SELECT id FROM "KpiFact" ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED)
        RETURNING day, "memberId", data`;
      if (facts.length === 0) return 0;
      const days = new Map<string, Record<DailyMetric, number>>();
      const members = new Map<string, { day: string; memberId: number; earnedFen: number; shared: boolean }>();
      for (const f of facts) {
        const row = days.get(f.day) ?? (Object.fromEntries(DAILY_METRICS.map((m) => [m, 0])) as Record<DailyMetric, number>);
        for (const [m, v] of Object.entries(f.data.deltas ?? {})) if ((DAILY_METRICS as readonly string[]).includes(m)) row[m as DailyMetric] += Number(v);
        days.set(f.day, row);
        if (f.memberId !== null && (f.data.earnedFen || f.data.shared)) {
          const k = `${f.day}:${f.memberId}`;
          const m = members.get(k) ?? { day: f.day, memberId: f.memberId, earnedFen: 0, shared: false };
          m.earnedFen += f.data.earnedFen ?? 0;
          m.shared ||= Boolean(f.data.shared);
          members.set(k, m);
        }
      }
      // Column names come from DAILY_METRICS (and memberVersion) only; values are bound parameters.
      // memberVersion: a day whose member rows change invalidates the cached periods holding it.
      const memberDays = new Set([...members.values()].map((m) => m.day));
      const counted = [...DAILY_METRICS, "memberVersion"];
      const cols = counted.map((m) => `"${m}"`).join(", ");
      const updates = counted.map((m) => `"${m}" = "KpiDaily"."${m}" + EXCLUDED."${m}"`).join(", ");
      for (const [day, row] of [...days].sort(([a], [b]) => a.localeCompare(b))) {
        const params = [day, ...DAILY_METRICS.map((m) => row[m]), memberDays.has(day) ? 1 : 0];
        const placeholders = params.map((_, i) => `$${i + 1}`).join(", ");
        await tx.$executeRawUnsafe(`INSERT INTO "KpiDaily" ("day", ${cols}) VALUES (${placeholders}) ON CONFLICT ("day") DO UPDATE SET ${updates}`, ...params);
      }
      for (const m of [...members.values()].sort((a, b) => a.day.localeCompare(b.day) || a.memberId - b.memberId)) {
        await tx.$executeRaw`
          INSERT INTO "KpiMemberDay" (day, "memberId", "earnedFen", shared) VALUES (${m.day}, ${m.memberId}, ${m.earnedFen}, ${m.shared})
          ON CONFLICT (day, "memberId") DO UPDATE SET "earnedFen" = "KpiMemberDay"."earnedFen" + EXCLUDED."earnedFen", shared = "KpiMemberDay".shared OR EXCLUDED.shared`;
      }
      return facts.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
