// The member status history migration backfills what an upgrading shop knows: each freeze and staff suspension in
// force, from the instant it began, so an unfreeze or re-enabling after the upgrade does not make it reach back
// further (SPEC §7, a late monthly bonus). A freeze with no recorded time and the tiers get no row (no instant is known).
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, expect, it } from "vitest";
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, listMigrations, type SqlRunner } from "../server/db/migrate";
import { PGLITE_EXTENSIONS } from "../server/db/extensions";

const MIGRATION = "20261204201000_member_status_history";
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

it("records the freezes and suspensions in force from their instants, nothing for unknown instants or tiers", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "fm-migrations-"));
  dirs.push(dir);
  for (const m of listMigrations().filter((m) => m.name < MIGRATION)) cpSync(path.join(DEFAULT_MIGRATIONS_DIR, m.name), path.join(dir, m.name), { recursive: true });
  const pg = new PGlite("memory://", { extensions: PGLITE_EXTENSIONS });
  const db: SqlRunner = { exec: async (sql) => void (await pg.exec(sql)), query: async (sql, params) => (await pg.query<never>(sql, params)).rows };
  try {
    await applyMigrations(db, dir);
    await pg.exec(`
      INSERT INTO "Member" (id, username, "referralCode", "createdAt", tier, frozen, "frozenAt", "distributorDisabledAt") VALUES
        (1, 'frozen', 'R1', '2026-01-01T00:00:00Z', 'partner', true, '2026-02-20T02:00:00Z', NULL),
        (2, 'frozen-long-ago', 'R2', '2026-01-01T00:00:00Z', 'member', true, NULL, NULL),
        (3, 'suspended', 'R3', '2026-01-01T00:00:00Z', 'promoter', false, NULL, '2026-02-21T03:00:00Z'),
        (4, 'plain', 'R4', '2026-01-01T00:00:00Z', 'partner', false, NULL, NULL);`);
    await applyMigrations(db, DEFAULT_MIGRATIONS_DIR);
    const rows = (await pg.query<{ memberId: number; kind: string; previous: string; value: string; at: Date }>(
      `SELECT "memberId", kind::text AS kind, previous, value, at FROM "MemberStatusChange" ORDER BY "memberId", kind`,
    )).rows;
    expect(rows).toEqual([
      { memberId: 1, kind: "FROZEN", previous: "false", value: "true", at: new Date("2026-02-20T02:00:00Z") },
      { memberId: 3, kind: "DISTRIBUTOR_DISABLED", previous: "false", value: "true", at: new Date("2026-02-21T03:00:00Z") },
    ]);
  } finally {
    await pg.close();
  }
});
