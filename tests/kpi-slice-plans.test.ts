// The KPI comparison's cut day (the previous period up to the same time of day) reads its part of a day from
// the raw tables: at millions of orders, visits, commissions and ledger transactions it must reach that slice
// through an index. With sequential scans disabled the planner takes an index whenever one serves the query,
// so a scan left in the plan means no index does.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Prisma, type Database } from "../server/db";
import { rawTotalsSql } from "../server/kpi/dashboard";
import { freshDatabase } from "./helpers/db";
import { planWithoutSeqscan } from "./helpers/plans";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => database.close());

const plan = (sql: Prisma.Sql) => planWithoutSeqscan(database.prisma, sql);

const q = rawTotalsSql(new Date("2026-12-03T16:00:00Z"), new Date("2026-12-04T02:00:00Z"));

it.each([
  ["orders", "Order", "Order_paidAt_id_idx"],
  ["refunds", "Order", "Order_refundedAt_idx"],
  ["members", "Member", "Member_createdAt"],
  ["visits", "ReferralVisit", "ReferralVisit_createdAt_idx"],
  ["commissions", "Commission", "Commission_createdAt_idx"],
  ["paid", "LedgerTxn", "LedgerTxn_createdAt_idx"],
] as const)("the slice's %s are read by time through an index, not a scan of %s", async (name, table, index) => {
  const p = await plan(q[name]);
  expect(p).not.toMatch(new RegExp(`Seq Scan on "${table}"`));
  expect(p).toContain(index);
});
