// Migrations that backfill what they add, so a shop upgrading keeps true figures: members' available balances
// and store credit in the dashboard's liabilities (from the ledger per merchant-local day), and the refunds
// still waiting for the provider's outcome (from the audit trail) for the refund query sweep.
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, listMigrations, type SqlRunner } from "../server/db/migrate";
import { PGLITE_EXTENSIONS } from "../server/db/extensions";

const BACKFILL = "20261204085212_kpi_available_credit_liabilities";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A migrations folder holding the committed migrations before `name`. */
function migrationsBefore(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "fm-migrations-"));
  dirs.push(dir);
  for (const m of listMigrations().filter((m) => m.name < name)) cpSync(path.join(DEFAULT_MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  return dir;
}

it("backfills available and credit per Asia/Shanghai day, beside a day's existing figures", async () => {
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const db: SqlRunner = { exec: async (sql) => void (await pg.exec(sql)), query: async (sql, params) => (await pg.query<never>(sql, params)).rows };
  try {
    await applyMigrations(db, migrationsBefore(BACKFILL));
    await pg.exec(`
      INSERT INTO "RuleVersion" (version, config, reason, "createdAt", "effectiveAt") VALUES (1, '{"timeZone": "Asia/Shanghai"}', 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
      INSERT INTO "KpiDaily" (day, "gmvFen") VALUES ('2026-03-02', 999);
      BEGIN;
      INSERT INTO "LedgerTxn" (id, key, kind, "createdAt") VALUES (1, 'a', 'commission_settle', '2026-03-01T15:00:00Z'), (2, 'b', 'rebate_pay', '2026-03-01T16:30:00Z'), (3, 'c', 'withdrawal_request', '2026-03-01T17:00:00Z');
      INSERT INTO "LedgerEntry" ("txnId", account, "memberId", bucket, "amountFen", "createdAt") VALUES
        (1, 'member:7:pending', 7, 'pending', -100, '2026-03-01T15:00:00Z'), (1, 'member:7:available', 7, 'available', 100, '2026-03-01T15:00:00Z'),
        (2, 'merchant:cashback', NULL, NULL, -700, '2026-03-01T16:30:00Z'), (2, 'member:8:available', 8, 'available', 500, '2026-03-01T16:30:00Z'), (2, 'member:9:credit', 9, 'credit', 200, '2026-03-01T16:30:00Z'),
        (3, 'member:8:available', 8, 'available', -300, '2026-03-01T17:00:00Z'), (3, 'member:8:withdrawing', 8, 'withdrawing', 300, '2026-03-01T17:00:00Z');
      COMMIT;`);
    await applyMigrations(db, DEFAULT_MIGRATIONS_DIR);
    const rows = (await pg.query<{ day: string; gmvFen: string; availableDelta: string; creditDelta: string }>(`SELECT day, "gmvFen"::text, "availableDelta"::text, "creditDelta"::text FROM "KpiDaily" ORDER BY day`)).rows;
    // 15:00Z is 23:00 on 03-01 in Shanghai; 16:30Z and 17:00Z are 00:30 and 01:00 on 03-02: 500 − 300 available, 200 credit.
    expect(rows).toEqual([
      { day: "2026-03-01", gmvFen: "0", availableDelta: "100", creditDelta: "0" },
      { day: "2026-03-02", gmvFen: "999", availableDelta: "200", creditDelta: "200" },
    ]);
  } finally {
    await pg.close();
  }
});

it("marks the refunds the provider accepted as processing and never closed, from when they were sent", async () => {
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const db: SqlRunner = { exec: async (sql) => void (await pg.exec(sql)), query: async (sql, params) => (await pg.query<never>(sql, params)).rows };
  try {
    await applyMigrations(db, migrationsBefore("20261204135621_refund_open"));
    const sent = "2026-12-01T03:00:00.000Z";
    await pg.exec(`
      INSERT INTO "ProviderCall" (kind, provider, "idempotencyNo", "amountFen", "providerTxnId", "orderId", status, "nextAttemptAt", "lastAttemptAt", "createdAt", "doneAt") VALUES
        ('REFUND', 'wechatpay', 'RF1', 100, 'T1', 1, 'DONE', '${sent}', '${sent}', '${sent}', '${sent}'),
        ('REFUND', 'wechatpay', 'RF2', 100, 'T2', 2, 'DONE', '${sent}', '${sent}', '${sent}', '2026-12-01T03:04:00Z'),
        ('REFUND', 'alipay', 'RF3', 100, 'T3', 3, 'DONE', '${sent}', '${sent}', '${sent}', '${sent}'),
        ('REFUND', 'wechatpay', 'RF4', 100, 'T4', 4, 'PENDING', '${sent}', NULL, '${sent}', NULL);
      INSERT INTO "AuditLog" (action, target, data, "createdAt") VALUES
        ('payment.refund_sent', 'order:1', '{"refundNo": "RF1", "status": "PROCESSING"}', '${sent}'),
        ('payment.refund_sent', 'order:2', '{"refundNo": "RF2", "status": "PROCESSING"}', '${sent}'),
        ('payment.refund_confirmed', 'order:2', '{"refundNo": "RF2", "status": "SUCCESS"}', '2026-12-01T03:05:00Z'),
        ('payment.refund_sent', 'order:3', '{"refundNo": "RF3", "status": "SUCCESS"}', '${sent}');`);
    await applyMigrations(db, DEFAULT_MIGRATIONS_DIR);
    const rows = (await pg.query<{ idempotencyNo: string; open: string | null }>(`SELECT "idempotencyNo", to_char("refundOpenSince" AT TIME ZONE 'UTC', 'HH24:MI') AS open FROM "ProviderCall" ORDER BY id`)).rows;
    // RF1 processing with no outcome: waits since it was sent; RF2 confirmed, RF3 succeeded at once, RF4 not sent yet.
    expect(rows).toEqual([
      { idempotencyNo: "RF1", open: "03:00" },
      { idempotencyNo: "RF2", open: null },
      { idempotencyNo: "RF3", open: null },
      { idempotencyNo: "RF4", open: null },
    ]);
  } finally {
    await pg.close();
  }
});

it("gives each commission voided before the KPI void facts its fact, on the day it was earned", async () => {
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const db: SqlRunner = { exec: async (sql) => void (await pg.exec(sql)), query: async (sql, params) => (await pg.query<never>(sql, params)).rows };
  try {
    await applyMigrations(db, migrationsBefore("20261204143658_kpi_void_commission_facts"));
    await pg.exec(`
      INSERT INTO "RuleVersion" (version, config, reason, "createdAt", "effectiveAt") VALUES (1, '{"timeZone": "Asia/Shanghai"}', 'initial', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
      INSERT INTO "Member" (id, username, "referralCode", "createdAt") VALUES (1, 'a', 'A1', '2026-01-01T00:00:00Z'), (2, 'b', 'B1', '2026-01-01T00:00:00Z');
      INSERT INTO "Order" (id, "orderNo", "memberId", "goodsFen", "payableFen", "createdAt") VALUES (1, 'O1', 2, 10000, 10000, '2026-03-01T16:30:00Z');
      INSERT INTO "Commission" ("orderId", "beneficiaryId", level, "amountFen", status, "createdAt") VALUES
        (1, 1, 1, 1000, 'VOID', '2026-03-01T16:30:00Z'), (1, 2, 2, 500, 'PENDING', '2026-03-01T16:30:00Z');`);
    await applyMigrations(db, DEFAULT_MIGRATIONS_DIR);
    const rows = (await pg.query<{ key: string; day: string; memberId: number; data: unknown }>(`SELECT key, day, "memberId", data FROM "KpiFact" WHERE kind = 'commission_void'`)).rows;
    // 16:30Z is 00:30 on 03-02 in Shanghai; only the voided one, its 10 元 taken back.
    expect(rows).toEqual([{ key: "commission:1:void", day: "2026-03-02", memberId: 1, data: { deltas: {}, earnedFen: -1000 } }]);
  } finally {
    await pg.close();
  }
});
