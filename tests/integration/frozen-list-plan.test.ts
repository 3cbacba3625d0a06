// The risk page's 已冻结 list (server/risk/view.ts frozenMembersPage) pages the frozen, undeleted accounts by freeze
// time: among a million members it must read the few frozen ones from their partial index, not scan Member.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { freshDatabase } from "../helpers/db";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(() => database.close());

it("a page of frozen members (first and deeper) is read from Member_frozen_list_idx among 30 000 members", { timeout: 120_000 }, async () => {
  const db = database.prisma;
  await db.$executeRaw`INSERT INTO "Member" (username, "referralCode", "createdAt", frozen, "frozenAt")
    SELECT 'plan' || g, 'P' || lpad(g::text, 7, '0'), now(), g % 500 = 0, CASE WHEN g % 500 = 0 THEN now() - g * interval '1 minute' END
    FROM generate_series(1, 30000) g`;
  await db.$executeRawUnsafe(`ANALYZE "Member"`);
  const explain = async (sql: string) => (await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
  const where = `frozen AND "deletedAt" IS NULL`;
  const first = await explain(`SELECT id FROM "Member" WHERE ${where} AND "frozenAt" IS NOT NULL ORDER BY "frozenAt" DESC, id DESC LIMIT 21`);
  const deeper = await explain(`SELECT id FROM "Member" WHERE ${where} AND "frozenAt" < now() - interval '1 day' ORDER BY "frozenAt" DESC, id DESC LIMIT 21`);
  for (const plan of [first, deeper]) {
    expect(plan).toContain("Member_frozen_list_idx");
    expect(plan).not.toMatch(/Seq Scan on "Member"/);
  }
});
