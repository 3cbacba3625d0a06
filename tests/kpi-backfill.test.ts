// The migration that added members' available balances and store credit to the dashboard's liabilities
// backfills them from the ledger per merchant-local day, so a shop upgrading keeps true figures.
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
