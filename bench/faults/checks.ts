// SQL invariants checked after a crash (npm run faults) and by the multi-process tests.
import type { Db } from "../../server/db";

export interface Invariants {
  ledgerTxns: number;
  unbalancedTxns: number;
  emptyTxns: number;
  walletMismatches: number;
  negativeBuckets: number;
}

export async function checkMoney(db: Db): Promise<Invariants> {
  const [row] = await db.$queryRawUnsafe<Record<keyof Invariants, bigint>[]>(`
    WITH sums AS (
      SELECT e."memberId", e.bucket, SUM(e."amountFen")::bigint AS fen FROM "LedgerEntry" e
      WHERE e."memberId" IS NOT NULL GROUP BY e."memberId", e.bucket
    ), ledger AS (
      SELECT "memberId",
        COALESCE(SUM(fen) FILTER (WHERE bucket = 'pending'), 0) AS pending,
        COALESCE(SUM(fen) FILTER (WHERE bucket = 'available'), 0) AS available,
        COALESCE(SUM(fen) FILTER (WHERE bucket = 'withdrawing'), 0) AS withdrawing,
        COALESCE(SUM(fen) FILTER (WHERE bucket = 'withdrawn'), 0) AS withdrawn,
        COALESCE(SUM(fen) FILTER (WHERE bucket = 'credit'), 0) AS credit
      FROM sums GROUP BY "memberId"
    )
    SELECT
      (SELECT COUNT(*) FROM "LedgerTxn") AS "ledgerTxns",
      (SELECT COUNT(*) FROM (SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING SUM("amountFen") <> 0) u) AS "unbalancedTxns",
      (SELECT COUNT(*) FROM "LedgerTxn" t WHERE NOT EXISTS (SELECT 1 FROM "LedgerEntry" e WHERE e."txnId" = t.id)) AS "emptyTxns",
      (SELECT COUNT(*) FROM "Wallet" w FULL JOIN ledger l ON l."memberId" = w."memberId"
        WHERE COALESCE(w.pending, 0) <> COALESCE(l.pending, 0) OR COALESCE(w.available, 0) <> COALESCE(l.available, 0)
           OR COALESCE(w.withdrawing, 0) <> COALESCE(l.withdrawing, 0) OR COALESCE(w.withdrawn, 0) <> COALESCE(l.withdrawn, 0)
           OR COALESCE(w.credit, 0) <> COALESCE(l.credit, 0)) AS "walletMismatches",
      (SELECT COUNT(*) FROM "Wallet" WHERE pending < 0 OR available < 0 OR withdrawing < 0 OR withdrawn < 0 OR credit < 0) AS "negativeBuckets"
  `);
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as unknown as Invariants;
}

/** Payment-timeout transitions and their effects, per order (see fixtures.seedUnpaidOrders). */
export async function checkPaymentTimeouts(db: Db, until: Date) {
  const [row] = await db.$queryRaw<Record<string, bigint>[]>`
    SELECT
      (SELECT COUNT(*) FROM "DueTransition" WHERE kind = 'ORDER_PAYMENT_TIMEOUT') AS transitions,
      (SELECT COUNT(*) FROM "DueTransition" WHERE kind = 'ORDER_PAYMENT_TIMEOUT' AND "doneAt" IS NOT NULL) AS done,
      (SELECT COUNT(*) FROM "DueTransition" WHERE "dueAt" <= ${until} AND "doneAt" IS NULL) AS "dueNotDone",
      (SELECT COUNT(*) FROM "DueTransition" WHERE "deadAt" IS NOT NULL) AS dead,
      (SELECT COUNT(*) FROM "Order" WHERE status = 'CANCELLED') AS cancelled,
      (SELECT COUNT(*) FROM "Order" WHERE status = 'PENDING_PAYMENT') AS "stillPending",
      (SELECT COUNT(*) FROM "LedgerTxn" WHERE kind = 'credit_return') AS "creditReturns",
      (SELECT COUNT(*) FROM (SELECT "orderId" FROM (SELECT (data->>'orderId')::int AS "orderId" FROM "OutboxEvent" WHERE name = 'order/cancelled') c
        GROUP BY "orderId" HAVING COUNT(*) > 1) d) AS "ordersCancelledTwice",
      (SELECT COALESCE(SUM(stock), 0) FROM "Sku") AS stock
  `;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]));
}
