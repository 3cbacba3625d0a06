// Folds KPI facts into the daily aggregates (and products' pieces sold): a batch of facts is deleted and added to its days in
// one transaction, so each event counts exactly once, whoever folds (the in-process sweep, a
// dashboard read) and however often.
import type { Db } from "../db";
import { DAILY_METRICS, type DailyMetric, type FactData } from "./facts";

const BATCH = 5000;

interface FactRow {
  day: string;
  kind: string;
  memberId: number | null;
  data: FactData;
}

interface MemberDay {
  day: string;
  memberId: number;
  earnedFen: number;
  shared: boolean;
  paid: boolean;
  repeated: boolean;
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
        RETURNING day, kind, "memberId", data`;
      if (facts.length === 0) return 0;
      const days = new Map<string, Record<DailyMetric, number>>();
      const members = new Map<string, MemberDay>();
      const sold = new Map<number, number>();
      for (const f of facts) {
        for (const [productId, qty] of Object.entries(f.data.sold ?? {})) sold.set(Number(productId), (sold.get(Number(productId)) ?? 0) + Number(qty));
        const row = days.get(f.day) ?? (Object.fromEntries(DAILY_METRICS.map((m) => [m, 0])) as Record<DailyMetric, number>);
        for (const [m, v] of Object.entries(f.data.deltas ?? {})) if ((DAILY_METRICS as readonly string[]).includes(m)) row[m as DailyMetric] += Number(v);
        days.set(f.day, row);
        // A payment's fact names its buyer: a payer of the day, and a repeat payer unless it is their first paid order.
        const paid = f.kind === "order_paid";
        const memberId = f.memberId;
        if (memberId !== null && (f.data.earnedFen || f.data.shared || paid)) {
          const k = `${f.day}:${memberId}`;
          const m = members.get(k) ?? { day: f.day, memberId, earnedFen: 0, shared: false, paid: false, repeated: false };
          m.earnedFen += f.data.earnedFen ?? 0;
          m.shared ||= Boolean(f.data.shared);
          m.paid ||= paid;
          m.repeated ||= paid && Number(f.data.deltas?.repeatOrders ?? 0) > 0;
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
      // Products in id order: two folds never wait on each other's rows in opposite orders.
      const products = [...sold].filter(([, qty]) => qty !== 0).sort(([a], [b]) => a - b);
      if (products.length > 0) {
        await tx.$executeRaw`
          INSERT INTO "ProductSales" ("productId", "soldQty")
          SELECT * FROM unnest(${products.map(([id]) => id)}::int[], ${products.map(([, qty]) => qty)}::int[])
          ON CONFLICT ("productId") DO UPDATE SET "soldQty" = "ProductSales"."soldQty" + EXCLUDED."soldQty"`;
      }
      // A member's rows are written by one fold at a time (locks taken in member order, after the day
      // rows): a row's prev days are read from, and written into, the member's other rows.
      const memberIds = [...new Set([...members.values()].map((m) => m.memberId))].sort((a, b) => a - b);
      if (memberIds.length > 0) await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(hashtext('KpiMemberDay'), m)) FROM (SELECT unnest(${memberIds}::int[]) AS m) s`;
      for (const m of [...members.values()].sort((a, b) => a.day.localeCompare(b.day) || a.memberId - b.memberId)) {
        // A new row's prev days follow from the member's latest earlier row. Then the member's later
        // rows: a day that now shares (earns, pays, repeat-pays) is their prev day if later than theirs; a day
        // that no longer earns (a negative fold) hands theirs pointing at it its own prev earning day.
        await tx.$executeRaw`
          WITH r AS (
            SELECT day, shared, "earnedFen", paid, repeated, "prevSharedDay", "prevEarnedDay", "prevPaidDay", "prevRepeatDay" FROM "KpiMemberDay"
            WHERE "memberId" = ${m.memberId} AND day < ${m.day} ORDER BY day DESC LIMIT 1),
          up AS (
            INSERT INTO "KpiMemberDay" (day, "memberId", "earnedFen", shared, paid, repeated, "prevSharedDay", "prevEarnedDay", "prevPaidDay", "prevRepeatDay")
            VALUES (${m.day}, ${m.memberId}, ${m.earnedFen}, ${m.shared}, ${m.paid}, ${m.repeated},
                    (SELECT CASE WHEN shared THEN day ELSE "prevSharedDay" END FROM r),
                    (SELECT CASE WHEN "earnedFen" > 0 THEN day ELSE "prevEarnedDay" END FROM r),
                    (SELECT CASE WHEN paid THEN day ELSE "prevPaidDay" END FROM r),
                    (SELECT CASE WHEN repeated THEN day ELSE "prevRepeatDay" END FROM r))
            ON CONFLICT (day, "memberId") DO UPDATE SET "earnedFen" = "KpiMemberDay"."earnedFen" + EXCLUDED."earnedFen", shared = "KpiMemberDay".shared OR EXCLUDED.shared,
              paid = "KpiMemberDay".paid OR EXCLUDED.paid, repeated = "KpiMemberDay".repeated OR EXCLUDED.repeated
            RETURNING day, shared, "earnedFen" > 0 AS earning, "prevEarnedDay", paid, repeated)
          UPDATE "KpiMemberDay" t
          SET "prevSharedDay" = CASE WHEN up.shared THEN GREATEST(t."prevSharedDay", up.day) ELSE t."prevSharedDay" END,
              "prevEarnedDay" = CASE WHEN up.earning THEN GREATEST(t."prevEarnedDay", up.day)
                                     WHEN t."prevEarnedDay" = up.day THEN up."prevEarnedDay" ELSE t."prevEarnedDay" END,
              "prevPaidDay" = CASE WHEN up.paid THEN GREATEST(t."prevPaidDay", up.day) ELSE t."prevPaidDay" END,
              "prevRepeatDay" = CASE WHEN up.repeated THEN GREATEST(t."prevRepeatDay", up.day) ELSE t."prevRepeatDay" END
          FROM up
          WHERE t."memberId" = ${m.memberId} AND t.day > up.day
            AND ((up.shared AND (t."prevSharedDay" IS NULL OR t."prevSharedDay" < up.day))
                 OR (up.earning AND (t."prevEarnedDay" IS NULL OR t."prevEarnedDay" < up.day))
                 OR (NOT up.earning AND t."prevEarnedDay" = up.day)
                 OR (up.paid AND (t."prevPaidDay" IS NULL OR t."prevPaidDay" < up.day))
                 OR (up.repeated AND (t."prevRepeatDay" IS NULL OR t."prevRepeatDay" < up.day)))`;
      }
      return facts.length;
    });
    total += n;
    if (n < batch) return total;
  }
}
