// The after-sales queue and its CSV show the whole refund (SPEC §1: full refunds, to the original payment path, and the
// 购物金 spent goes back to the wallet) with its store-credit part apart, and no refund amount for a rejected request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { confirmPayment, createOrder, shipOrder } from "../server/orders";
import { fromMerchant, walletOf } from "../server/wallet/ledger";
import { rejectRefundRequest, requestRefund } from "../server/aftersales";
import { listRefundRequests } from "../server/aftersales/view";
import { exportDefinition } from "../server/exports/registry";
import { exportTranslator } from "../server/exports/csv";
import { freshPglite } from "./helpers/db";
import { teaShop } from "./helpers/shop";

const config = parseConfig({});
const TZ = "Asia/Shanghai";
const t0 = new Date("2026-03-01T02:00:00Z");
let database: Database;
let db: Db;
let bob: number;
let staffId: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(db, { now: t0, config }, fn);

/** A paid 99.00 元 tea of bob's, `creditFen` of it paid with 购物金 (the rest through the payment provider). */
async function paidTea(creditFen: number) {
  const o = await run((c) => createOrder(c, { memberId: bob, lines: [{ sku: "tea", qty: 1 }], creditFen }));
  await run((c) => confirmPayment(c, { orderId: o.id, provider: "sandbox", providerTxnId: `t${o.id}`, amountFen: o.payableFen, currency: "CNY" }));
  return o;
}

/** The after-sales CSV (every request) in Chinese: one record per request id, by header. */
async function csvRows(): Promise<Map<number, Record<string, unknown>>> {
  const def = exportDefinition("after-sales")!;
  const cols = def.columns(TZ, exportTranslator("zh-CN"));
  const out = new Map<number, Record<string, unknown>>();
  for await (const r of def.rows(db, def.parse({}), TZ)) out.set(Number(cols[0]!.value(r)), Object.fromEntries(cols.map((c) => [c.header, c.value(r)])));
  return out;
}

beforeAll(async () => {
  database = await freshPglite();
  db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await teaShop(db, 9_900);
  bob = (await run((c) => registerMember(c, { username: "bob" }))).id;
  await run((c) => fromMerchant(c, "seed-credit", "manual_adjustment", "merchant:adjustment", bob, "credit", 10_000));
  staffId = (await db.staffAccount.create({ data: { username: "op", displayName: "运营", role: "operator", passwordHash: "-", createdAt: t0 } })).id;
});
afterAll(() => database.close());

describe("after-sales refund amount with 购物金", () => {
  it("an unshipped order paid 50.00 by credit and 49.00 by the provider: refund 99.00, of which credit 50.00", async () => {
    const o = await paidTea(5_000);
    expect([o.goodsFen, o.creditUsedFen, o.payableFen]).toEqual([9_900, 5_000, 4_900]);
    const { request } = await run((c) => requestRefund(c, bob, o.id, { reason: "no_longer_needed" }));
    expect(request.status).toBe("APPROVED");
    // The refund really returned the credit: 10 000 seeded − 5 000 spent + 5 000 back.
    expect(Number((await walletOf({ tx: db }, bob)).credit)).toBe(10_000);

    const queue = await listRefundRequests({ tx: db }, { status: "APPROVED" });
    expect(queue.items.find((i) => i.id === request.id)!.refund).toEqual({ totalFen: 9_900, creditFen: 5_000 });
    const row = (await csvRows()).get(request.id)!;
    expect(row["退款金额(元)"]).toBe("99.00");
    expect(row["其中购物金(元)"]).toBe("50.00");
  });

  it("a pending request on a shipped order with 30.00 credit: 99.00 to refund, 30.00 of it credit; rejected: no refund amount", async () => {
    const o = await paidTea(3_000);
    await run((c) => shipOrder(c, o.id));
    const { request } = await run((c) => requestRefund(c, bob, o.id, { reason: "no_longer_needed" }));
    expect(request.status).toBe("PENDING");
    expect((await listRefundRequests({ tx: db }, { status: "PENDING" })).items.find((i) => i.id === request.id)!.refund).toEqual({ totalFen: 9_900, creditFen: 3_000 });
    expect((await csvRows()).get(request.id)).toMatchObject({ "退款金额(元)": "99.00", "其中购物金(元)": "30.00" });

    await run((c) => rejectRefundRequest(c, { staffId }, request.id, "商品已拆封"));
    expect((await listRefundRequests({ tx: db }, { status: "REJECTED" })).items.find((i) => i.id === request.id)!.refund).toBeNull();
    expect((await csvRows()).get(request.id)).toMatchObject({ "退款金额(元)": "", "其中购物金(元)": "" });
  });

  it("an order paid without credit: its refund is what was paid, credit 0.00", async () => {
    const o = await paidTea(0);
    const { request } = await run((c) => requestRefund(c, bob, o.id, { reason: "no_longer_needed" }));
    expect((await csvRows()).get(request.id)).toMatchObject({ "退款金额(元)": "99.00", "其中购物金(元)": "0.00" });
  });
});
