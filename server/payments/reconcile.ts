// Daily reconciliation (对账): the provider's bill of a merchant calendar day against our payments and
// refunds. Differences: a line of the bill we have no record of (or recorded at another amount), and
// a payment or refund of ours of that day missing from the bill. One row per provider and day.
// Ours are the payments we accepted and those the system refunded automatically (paid after the order
// closed, or at another amount), each on the day the provider says it was paid, as its bill does; a
// refund is ours on the day the provider says it succeeded (ProviderCall.doneAt, set from its answer or
// its refund callback), which for WeChat Pay may be the day after we asked.
import { Prisma, type Db } from "../db";
import { DAY } from "../clock/time";
import { localParts, zonedMidnight } from "../clock/time";
import type { BillLine } from "./bills";

export const MERCHANT_TZ = "Asia/Shanghai";

export interface BillDifference {
  kind: "payment" | "refund";
  issue: "missing_here" | "missing_at_provider" | "amount_mismatch";
  reference: string | null;
  providerTxnId: string | null;
  refundNo: string | null;
  providerFen: number | null;
  ourFen: number | null;
}

/** The UTC instants bounding a merchant calendar day "YYYY-MM-DD". */
export function merchantDay(billDate: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(billDate);
  if (!m) throw new Error(`not a date: ${billDate}`);
  const start = zonedMidnight(Number(m[1]), Number(m[2]), Number(m[3]), MERCHANT_TZ);
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  return { start, end: zonedMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), MERCHANT_TZ) };
}

/** Yesterday in the merchant time zone (the day whose bill is available today). */
export function previousMerchantDay(now: Date): string {
  const p = localParts(new Date(now.getTime() - DAY), MERCHANT_TZ);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

/** Compares one day's bill with our records and stores the result (replacing an earlier run of that day). */
export async function reconcileBill(db: Db, provider: string, billDate: string, lines: BillLine[], now: Date) {
  const { start, end } = merchantDay(billDate);
  const differences: BillDifference[] = [];

  // Every bill line against our record of it, whatever day we recorded it on.
  const billPayments = lines.filter((l) => l.kind === "payment");
  const billRefunds = lines.filter((l) => l.kind === "refund");
  const ourPaymentsByTxn = new Map((await receivedPayments(db, provider, { txns: billPayments.map((l) => l.providerTxnId) })).map((p) => [p.providerTxnId, p]));
  const ourRefundsByNo = new Map(
    (await db.providerCall.findMany({ where: { provider, kind: "REFUND", idempotencyNo: { in: billRefunds.map((l) => l.refundNo ?? "") } }, select: { idempotencyNo: true, amountFen: true } })).map((c) => [c.idempotencyNo, c]),
  );
  for (const l of billPayments) {
    const ours = ourPaymentsByTxn.get(l.providerTxnId);
    const base = { kind: "payment" as const, reference: l.reference, providerTxnId: l.providerTxnId, refundNo: null, providerFen: l.amountFen };
    if (!ours) differences.push({ ...base, issue: "missing_here", ourFen: null });
    else if (ours.amountFen !== l.amountFen) differences.push({ ...base, issue: "amount_mismatch", ourFen: ours.amountFen });
  }
  for (const l of billRefunds) {
    const ours = ourRefundsByNo.get(l.refundNo ?? "");
    const base = { kind: "refund" as const, reference: l.reference, providerTxnId: l.providerTxnId, refundNo: l.refundNo ?? null, providerFen: l.amountFen };
    if (!ours) differences.push({ ...base, issue: "missing_here", ourFen: null });
    else if (ours.amountFen !== l.amountFen) differences.push({ ...base, issue: "amount_mismatch", ourFen: ours.amountFen });
  }

  // Our payments and completed refunds of that day that the bill does not list.
  const ourPayments = await receivedPayments(db, provider, { start, end });
  const ourRefunds = await db.$queryRaw<{ idempotencyNo: string; amountFen: number; providerTxnId: string | null }[]>(dayRefundsSql(provider, start, end));
  const billTxns = new Set(billPayments.map((l) => l.providerTxnId));
  const billRefundNos = new Set(billRefunds.map((l) => l.refundNo));
  for (const p of ourPayments) {
    if (!billTxns.has(p.providerTxnId)) differences.push({ kind: "payment", issue: "missing_at_provider", reference: null, providerTxnId: p.providerTxnId, refundNo: null, providerFen: null, ourFen: p.amountFen });
  }
  for (const r of ourRefunds) {
    if (!billRefundNos.has(r.idempotencyNo)) differences.push({ kind: "refund", issue: "missing_at_provider", reference: null, providerTxnId: r.providerTxnId, refundNo: r.idempotencyNo, providerFen: null, ourFen: r.amountFen });
  }

  const net = (ls: { kind: string; amountFen: number }[]) => ls.reduce((s, l) => s + (l.kind === "refund" ? -l.amountFen : l.amountFen), 0);
  const data = {
    status: differences.length ? "DIFFERENCES" : "MATCHED",
    billCount: lines.length,
    billTotalFen: net(lines),
    ourCount: ourPayments.length + ourRefunds.length,
    ourTotalFen: ourPayments.reduce((s, p) => s + p.amountFen, 0) - ourRefunds.reduce((s, r) => s + r.amountFen, 0),
    differences: differences as object[],
    error: null,
    ranAt: now,
  };
  return plainTotals(await db.reconciliationRun.upsert({ where: { provider_billDate: { provider, billDate } }, create: { provider, billDate, ...data }, update: data }));
}

/** A run with its day totals (BigInt in the database) as plain numbers of fen. */
function plainTotals<R extends { billTotalFen: bigint; ourTotalFen: bigint }>(r: R) {
  return { ...r, billTotalFen: Number(r.billTotalFen), ourTotalFen: Number(r.ourTotalFen) };
}

/**
 * The payments we know the provider took, as { providerTxnId, amountFen }: those we accepted, at their
 * amount, and those refunded automatically (intent REFUNDED_LATE or AMOUNT_MISMATCH; no Payment row), at
 * the amount received and refunded. By transaction, or by payment time within [start, end): the intent's
 * paidAt (the provider's time when it told us), else the payment's own (one made without an intent).
 */
const automaticRefundsSql = (provider: string, which: Prisma.Sql) => Prisma.sql`
  SELECT i."providerTxnId", c."amountFen" FROM "PaymentIntent" i
  JOIN "ProviderCall" c ON c.provider = i.provider AND c."providerTxnId" = i."providerTxnId" AND c.kind = 'REFUND'
  WHERE i.provider = ${provider} AND i.status IN ('REFUNDED_LATE', 'AMOUNT_MISMATCH') AND ${which}`;

/**
 * A day's payments, in two index-driven parts rather than one COALESCE over every payment ever made:
 * dated by their intent's paidAt, or, with no paid intent that has one, by their own.
 */
export const dayPaymentsSql = (provider: string, start: Date, end: Date) => Prisma.sql`
  SELECT p."providerTxnId", p."amountFen" FROM "PaymentIntent" i
  JOIN "Payment" p ON p.provider = i.provider AND p."providerTxnId" = i."providerTxnId"
  WHERE i.provider = ${provider} AND i.status = 'PAID' AND i."paidAt" >= ${start} AND i."paidAt" < ${end}
  UNION ALL
  SELECT p."providerTxnId", p."amountFen" FROM "Payment" p
  WHERE p.provider = ${provider} AND p."paidAt" >= ${start} AND p."paidAt" < ${end}
    AND NOT EXISTS (SELECT 1 FROM "PaymentIntent" i WHERE i.provider = p.provider AND i."providerTxnId" = p."providerTxnId" AND i.status = 'PAID' AND i."paidAt" IS NOT NULL)
  UNION ALL ${automaticRefundsSql(provider, Prisma.sql`i."paidAt" >= ${start} AND i."paidAt" < ${end}`)}`;

/** A day's completed refunds, dated by the provider's time (doneAt). */
export const dayRefundsSql = (provider: string, start: Date, end: Date) => Prisma.sql`
  SELECT "idempotencyNo", "amountFen", "providerTxnId" FROM "ProviderCall"
  WHERE provider = ${provider} AND kind = 'REFUND' AND status = 'DONE' AND "doneAt" >= ${start} AND "doneAt" < ${end}`;

async function receivedPayments(db: Db, provider: string, by: { txns: string[] } | { start: Date; end: Date }) {
  if ("txns" in by) {
    return db.$queryRaw<{ providerTxnId: string; amountFen: number }[]>`
      SELECT p."providerTxnId", p."amountFen" FROM "Payment" p WHERE p.provider = ${provider} AND p."providerTxnId" = ANY(${by.txns}::text[])
      UNION ALL ${automaticRefundsSql(provider, Prisma.sql`i."providerTxnId" = ANY(${by.txns}::text[])`)}`;
  }
  return db.$queryRaw<{ providerTxnId: string; amountFen: number }[]>(dayPaymentsSql(provider, by.start, by.end));
}

/** A bill that could not be fetched or read: recorded so staff see it, retried by the next runs (reconcileYesterday). */
export async function recordFailedReconciliation(db: Db, provider: string, billDate: string, error: string, now: Date) {
  const data = { status: "FAILED", error: error.slice(0, 300), ranAt: now };
  return plainTotals(await db.reconciliationRun.upsert({ where: { provider_billDate: { provider, billDate } }, create: { provider, billDate, ...data }, update: data }));
}

/**
 * Claims an [alert] on a failed bill's failing retry: the first one, then one only a day or more after the last alert.
 * A conditional update of the run row, so of several instances retrying the bill only one alerts.
 */
async function claimFailureAlert(db: Db, provider: string, billDate: string, now: Date): Promise<boolean> {
  const { count } = await db.reconciliationRun.updateMany({
    where: { provider, billDate, status: "FAILED", OR: [{ alertedAt: null }, { alertedAt: { lte: new Date(now.getTime() - DAY) } }] },
    data: { alertedAt: now },
  });
  return count > 0;
}

/** Bills of the previous day are ready at the providers from 10:00 (WeChat Pay documents 10:00; Alipay earlier). */
const BILL_READY_HOUR = 10;
/** A failed bill is fetched again an hour on; a little less, so the hourly cron's next firing is never too early for it. */
const FAILED_RETRY_MS = 55 * 60_000;
/** A failed bill is retried while it is one of this many last days' (the providers keep their bills for months). */
const FAILED_RETRY_DAYS = 7;

/**
 * The bill job (in-process sweep, hourly Inngest cron): once the bills are ready, each configured provider's bill of
 * yesterday is fetched and compared, once per day; a failed one of the last FAILED_RETRY_DAYS days is retried hourly.
 * A bill's first failure is a log line, its failing retries an [alert] line at most once a day (claimFailureAlert).
 */
export async function reconcileYesterday(db: Db, providers: { name: string; downloadBill?(d: string): Promise<BillLine[]> }[], now = new Date()) {
  const yesterday = previousMerchantDay(now);
  const oldest = previousMerchantDay(new Date(now.getTime() - (FAILED_RETRY_DAYS - 1) * DAY));
  const billsReady = localParts(now, MERCHANT_TZ).hour >= BILL_READY_HOUR;
  const runs = [];
  for (const p of providers) {
    if (!p.downloadBill) continue;
    const recent = await db.reconciliationRun.findMany({ where: { provider: p.name, billDate: { gte: oldest, lte: yesterday } }, select: { billDate: true, status: true, ranAt: true }, orderBy: { billDate: "asc" } });
    const retries = recent.filter((r) => r.status === "FAILED" && now.getTime() - r.ranAt.getTime() >= FAILED_RETRY_MS).map((r) => r.billDate);
    const first = billsReady && !recent.some((r) => r.billDate === yesterday) ? [yesterday] : [];
    for (const billDate of [...retries, ...first]) {
      try {
        runs.push(await reconcileBill(db, p.name, billDate, await p.downloadBill(billDate), now));
      } catch (e) {
        const why = e instanceof Error ? e.message.slice(0, 120) : "error";
        runs.push(await recordFailedReconciliation(db, p.name, billDate, e instanceof Error ? e.message : "error", now));
        const again = retries.includes(billDate) ? " again" : "";
        // A first failure may be a passing fault and is only logged; a failing retry alerts, at most once a day per bill.
        if (again && (await claimFailureAlert(db, p.name, billDate, now))) console.error(`[alert] reconcile: ${p.name} bill of ${billDate} failed${again} (${why}); retried hourly while one of the last ${FAILED_RETRY_DAYS} days' bills, alerted at most once a day`);
        else console.error(`[reconcile] ${p.name} bill of ${billDate} failed${again}: ${why}`);
      }
    }
  }
  return runs;
}

/** The latest runs, newest day first (the merchant's reconciliation page). */
export async function listReconciliationRuns(db: Db, limit = 60) {
  const rows = await db.reconciliationRun.findMany({ orderBy: [{ billDate: "desc" }, { provider: "asc" }], take: limit });
  return rows.map((r) => ({ ...plainTotals(r), differences: r.differences as unknown as BillDifference[] }));
}
