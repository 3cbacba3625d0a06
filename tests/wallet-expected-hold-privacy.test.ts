// A buyer's risk review as the earner of their commission sees it (SPEC §8, PIPL): only the earner's own invitee's (a
// level-1 buyer) is named 审核中, and the wallet's 待到账 says exactly what 佣金明细 says. A ← B ← C: C's order pays A a
// level-2 commission; C under review is B's business, not A's.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { createSimpleProduct } from "../server/catalog/admin";
import { recordRiskEvent } from "../server/risk/flags";
import { expectedPayouts } from "../server/wallet/expected";
import { myCommissions } from "../server/promotion";
import { freshPglite } from "./helpers/db";

const config = parseConfig({});
let database: Database;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2], at = "2026-03-01T10:00:00+08:00") => inTx(database.prisma, { config, now: new Date(at) }, fn);
let a = 0;
let b = 0;
let c = 0;

async function pays(memberId: number, n: number) {
  const o = await run((ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: `addr-${n}` }));
  await run((ctx) => confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: `t${n}`, amountFen: o.payableFen, currency: "CNY" }));
}

const flag = (memberId: number) => run((ctx) => recordRiskEvent(ctx, "refund_abuse", [memberId], [memberId], { test: true }), "2026-03-01T11:00:00+08:00");

/** A's commissions in both views, by level: 佣金明细's status and 待到账's date and reason. */
async function viewsOfA() {
  const listed = await myCommissions(database.prisma, a);
  const expected = await expectedPayouts({ tx: database.prisma, config }, a);
  return listed.map((l) => {
    const e = expected.find((x) => x.kind === "commission" && x.id === l.id)!;
    return { level: l.level, amountFen: l.amountFen, status: l.status, expectedAt: e.expectedAt, why: e.why };
  });
}

beforeAll(async () => {
  database = await freshPglite();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await database.prisma.category.create({ data: { slug: "fmcg", name: "日用" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "tea", priceFen: 9900, category: "fmcg", stock: 10 });
  a = (await run((ctx) => registerMember(ctx, { username: "a", sponsorId: null, ip: "1.1.1.1", device: "a" }), "2026-03-01T09:00:00+08:00")).id;
  b = (await run((ctx) => registerMember(ctx, { username: "b", sponsorId: a, ip: "2.2.2.2", device: "b" }), "2026-03-01T09:10:00+08:00")).id;
  c = (await run((ctx) => registerMember(ctx, { username: "c", sponsorId: b, ip: "3.3.3.3", device: "c" }), "2026-03-01T09:20:00+08:00")).id;
  await pays(b, 1); // A: level 1, 10% of 99.00 = 990 fen
  await pays(c, 2); // A: level 2, 5% of 99.00 = 495 fen (B: level 1, 990)
});
afterAll(() => database?.close());

it("a level-2 buyer under review: A's wallet row shows no date and no 审核中, as 佣金明细 shows it 待确认", async () => {
  await flag(c);
  const rows = await viewsOfA();
  // Neither order shipped: A's level-1 row waits for shipping; the level-2 one is held, so it has no date, and no reason is named.
  expect(rows.find((r) => r.level === 2)).toEqual({ level: 2, amountFen: 495, status: "PENDING", expectedAt: null, why: "undated" });
  expect(rows.find((r) => r.level === 1)).toEqual({ level: 1, amountFen: 990, status: "PENDING", expectedAt: null, why: "awaiting_shipment" });
  // B invited C: B is told, in both views.
  const bListed = await myCommissions(database.prisma, b);
  const bExpected = await expectedPayouts({ tx: database.prisma, config }, b);
  expect(bListed.map((r) => [r.level, r.status])).toEqual([[1, "ON_HOLD"]]);
  expect(bExpected.map((r) => [r.level, r.expectedAt, r.why])).toEqual([[1, null, "on_hold"]]);
});

it("A's own invitee under review: A's level-1 row is 审核中 in both views", async () => {
  await flag(b);
  const rows = await viewsOfA();
  expect(rows.find((r) => r.level === 1)).toEqual({ level: 1, amountFen: 990, status: "ON_HOLD", expectedAt: null, why: "on_hold" });
  expect(rows.find((r) => r.level === 2)).toEqual({ level: 2, amountFen: 495, status: "PENDING", expectedAt: null, why: "undated" });
  // Every row: the wallet names a review exactly where 佣金明细 does.
  for (const r of rows) expect(r.why === "on_hold").toBe(r.status === "ON_HOLD");
});
