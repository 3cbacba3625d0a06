// The nightly reconciliation reads one day's payments and refunds, and the refund query sweep the refunds still open: at millions of payments it must reach
// them through an index, never by reading every payment, intent or provider call ever made. With
// sequential scans disabled the planner takes an index whenever one serves the query, so a scan left in
// the plan means no index does.
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Prisma, type Database } from "../server/db";
import { dayPaymentsSql, dayRefundsSql, merchantDay } from "../server/payments/reconcile";
import { openRefundsSql } from "../server/payments";
import { freshDatabase } from "./helpers/db";
import { planWithoutSeqscan } from "./helpers/plans";

let database: Database;
beforeAll(async () => {
  database = await freshDatabase();
});
afterAll(async () => database.close());

const plan = (sql: Prisma.Sql) => planWithoutSeqscan(database.prisma, sql);

const { start, end } = merchantDay("2026-12-03");

it("a day's payments are found by payment time through indexes", async () => {
  const p = await plan(dayPaymentsSql("wechatpay", start, end));
  expect(p).not.toMatch(/Seq Scan on "(Payment|PaymentIntent|ProviderCall)"/);
  expect(p).toContain("PaymentIntent_provider_paidAt_idx");
  expect(p).toContain("Payment_provider_paidAt_idx");
});

it("a day's completed refunds are found by the provider's time through an index", async () => {
  const p = await plan(dayRefundsSql("alipay", start, end));
  expect(p).not.toMatch(/Seq Scan on "ProviderCall"/);
  expect(p).toContain("ProviderCall_provider_kind_doneAt_idx");
});

it("the refund query sweep reads only refunds waiting for their outcome, through their partial index", async () => {
  const p = await plan(openRefundsSql(end, 100));
  expect(p).not.toMatch(/Seq Scan on "ProviderCall"/);
  expect(p).toContain("ProviderCall_refund_open_idx");
});
