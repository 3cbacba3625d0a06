// The deferred double-entry check (trigger ledger_txn_balanced, run for each entry at commit) sums one
// ledger transaction's entries. Issue 14: without an index on txnId it scanned the whole ledger per
// entry, so every payment got slower as the ledger grew. The planner must answer it from the index.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { freshDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

it("on a 40 000-entry ledger the trigger's per-transaction sum is an index lookup, not a scan of the ledger", { timeout: 120_000 }, async () => {
  const db = database.prisma;
  await db.$transaction([
    db.$executeRaw`INSERT INTO "LedgerTxn" (key, kind, "createdAt") SELECT 'plan-' || g, 'test', now() FROM generate_series(1, 20000) g`,
    db.$executeRaw`INSERT INTO "LedgerEntry" ("txnId", account, "amountFen", "createdAt")
      SELECT t.id, side.account, side.amount, now() FROM "LedgerTxn" t
      CROSS JOIN (VALUES ('merchant:test', -100), ('member:1:available', 100)) AS side(account, amount)`,
  ]);
  await db.$executeRawUnsafe(`ANALYZE "LedgerEntry"`);
  // The trigger's own query (prisma/migrations/…_integrity_checks), for one transaction.
  const plan = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN SELECT COALESCE(SUM("amountFen"), 0) FROM "LedgerEntry" WHERE "txnId" = 12345`);
  const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
  expect(text).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
  expect(text).toContain("LedgerEntry_txnId_idx");
  expect(text).not.toMatch(/Seq Scan on "LedgerEntry"/);
  // And the committed data balance, as the trigger checked.
  const [{ total }] = await db.$queryRaw<{ total: bigint }[]>`SELECT COALESCE(SUM("amountFen"), 0) AS total FROM "LedgerEntry"`;
  expect(Number(total)).toBe(0);
});
