// Daily reconciliation against WeChat Pay's tradebill, downloaded from a local server that follows the
// published protocol (GET /v3/bill/tradebill → download_url, a gzip file with backtick-prefixed CSV
// fields checked by its SHA1): a matching day, then differences both ways and in amount; a corrupted
// download and a day without bill.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { handlePaymentNotification, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { createSimpleProduct } from "../../server/catalog/admin";
import { parseWechatTradeBill, yuanToFen } from "../../server/payments/bills";
import { merchantDay, reconcileBill, reconcileYesterday } from "../../server/payments/reconcile";
import { freshDatabase } from "../helpers/db";
import { WechatPayTestServer } from "../helpers/wechatpay-server";

const WECHAT_UA = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN";
const config = parseConfig({});
let database: Database;
let wx: WechatPayTestServer;
let provider: WechatPayProvider;
let memberId: number;
// Paid and refunded on 2026-12-01 (Shanghai); the bill of that day is fetched on the 2nd after 10:00.
const DAY = "2026-12-01";
const PAID_AT = new Date("2026-12-01T02:00:00.000Z"); // 10:00 Shanghai

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
  wx.clock = () => PAID_AT;
  provider = new WechatPayProvider(wx.config());
  registerProvider(provider);
  database = await freshDatabase();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 12_345, category: "tea", stock: 50 });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  await db.externalAccount.create({ data: { memberId, platform: "wechat", appId: wx.appid, subject: "oBillUser0000000000000000001", createdAt: new Date() } });
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await wx.stop();
  await database.close();
});

/** A JSAPI order paid through WeChat's signed callback at `at` (WeChat's clock and ours). */
async function paidOrder(at = PAID_AT) {
  const db = database.prisma;
  wx.clock = () => at;
  const order = await inTx(db, { config, now: at }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
  const { reference } = await startPayment(db, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: at });
  const cb = wx.pay(reference);
  expect((await handlePaymentNotification(db, "wechatpay", cb.body, new Headers(cb.headers), at)).outcome).toBe("paid");
  return { order, reference, txn: wx.trades.get(reference)!.transaction_id! };
}

describe("the bill format", () => {
  it("reads yuan as fen without floats, and the backtick fields of WeChat's CSV up to its totals", () => {
    expect([yuanToFen("0.01"), yuanToFen("123.45"), yuanToFen("7"), yuanToFen("1.5"), yuanToFen("-2.30")]).toEqual([1, 12345, 700, 150, -230]);
    expect(() => yuanToFen("1.234")).toThrow();
    // FM1-b was paid with a merchant-funded 5.00 免充值券: WeChat settles 14.90 of its 19.90, refunds 14.90 of the 19.90 asked.
    const csv = [
      "交易时间,微信订单号,商户订单号,交易状态,应结订单金额,代金券金额,商户退款单号,退款金额,充值券退款金额,订单金额,申请退款金额",
      "`2026-12-01 10:00:00,`4200001,`FM1-a,`SUCCESS,`19.90,`0.00,`0,`0.00,`0.00,`19.90,`0.00",
      "`2026-12-01 11:00:00,`4200001,`FM1-a,`REFUND,`0.00,`0.00,`R1,`19.90,`0.00,`19.90,`19.90",
      "`2026-12-01 12:00:00,`4200002,`FM1-b,`SUCCESS,`14.90,`5.00,`0,`0.00,`0.00,`19.90,`0.00",
      "`2026-12-01 13:00:00,`4200002,`FM1-b,`REFUND,`14.90,`5.00,`R2,`14.90,`0.00,`19.90,`19.90",
      "总交易单数,应结订单总金额",
      "`4,`29.80",
    ].join("\r\n");
    expect(parseWechatTradeBill(csv)).toEqual([
      { kind: "payment", reference: "FM1-a", providerTxnId: "4200001", amountFen: 1990 },
      { kind: "refund", reference: "FM1-a", providerTxnId: "4200001", refundNo: "R1", amountFen: 1990 },
      { kind: "payment", reference: "FM1-b", providerTxnId: "4200002", amountFen: 1990 },
      { kind: "refund", reference: "FM1-b", providerTxnId: "4200002", refundNo: "R2", amountFen: 1990 },
    ]);
  });

  it("bounds the merchant day in Shanghai time", () => {
    expect(merchantDay("2026-12-01")).toEqual({ start: new Date("2026-11-30T16:00:00.000Z"), end: new Date("2026-12-01T16:00:00.000Z") });
  });
});

describe("WeChat Pay daily reconciliation", () => {
  it("a day whose bill matches our payments and refunds", async () => {
    const a = await paidOrder();
    await paidOrder();
    await refundOrderThroughProvider(database.prisma, a.order.id, PAID_AT);
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: a.order.id, kind: "REFUND" } });
    wx.finishRefund(call.idempotencyNo);
    await database.prisma.providerCall.update({ where: { id: call.id }, data: { doneAt: PAID_AT } });

    const lines = await provider.downloadBill(DAY);
    expect(lines.map((l) => [l.kind, l.amountFen])).toEqual([["payment", 12_345], ["payment", 12_345], ["refund", 12_345]]);
    const run = await reconcileBill(database.prisma, "wechatpay", DAY, lines, new Date("2026-12-02T03:00:00.000Z"));
    expect(run).toMatchObject({ status: "MATCHED", billCount: 3, billTotalFen: 12_345, ourCount: 3, ourTotalFen: 12_345, differences: [] });
  });

  it("reports a bill line we have no record of, a different amount, and our payment missing from the bill", async () => {
    const kept = await paidOrder();
    const dropped = await paidOrder();
    wx.billRows = (rows) => [
      ...rows.filter((r) => r[5] !== dropped.txn).map((r) => (r[5] === kept.txn && r[9] === "SUCCESS" ? Object.assign([...r], { 12: "123.40", 24: "123.40" }) : r)),
      ["2026-12-01 12:00:00", wx.appid, wx.mchid, "0", "", "4200000000999", "FOREIGN-1", "o-x", "JSAPI", "SUCCESS", "OTHERS", "CNY", "9.99", "0.00", "0", "0", "0.00", "0.00", "", "", "x", "", "0.00000", "0.60%", "9.99", "0.00", ""],
    ];
    // The day was reconciled by the test above; staff asking again is the same as a first run.
    await database.prisma.reconciliationRun.deleteMany({});
    try {
      const run = await reconcileYesterday(database.prisma, [provider], new Date("2026-12-02T03:00:00.000Z"));
      expect(run).toHaveLength(1);
      expect(run[0]).toMatchObject({ provider: "wechatpay", billDate: DAY, status: "DIFFERENCES" });
      expect(run[0].differences).toEqual(
        expect.arrayContaining([
          { kind: "payment", issue: "amount_mismatch", reference: kept.reference, providerTxnId: kept.txn, refundNo: null, providerFen: 12_340, ourFen: 12_345 },
          { kind: "payment", issue: "missing_here", reference: "FOREIGN-1", providerTxnId: "4200000000999", refundNo: null, providerFen: 999, ourFen: null },
          { kind: "payment", issue: "missing_at_provider", reference: null, providerTxnId: dropped.txn, refundNo: null, providerFen: null, ourFen: 12_345 },
        ]),
      );
      expect(run[0].differences).toHaveLength(3);
      // Once a day: the next sweep that day does not fetch again.
      expect(await reconcileYesterday(database.prisma, [provider], new Date("2026-12-02T05:00:00.000Z"))).toEqual([]);
    } finally {
      wx.billRows = undefined;
    }
  });

  it("a payment and its refund with a merchant-funded 免充值券 match: the bill's 订单金额 and 申请退款金额 are what we asked", async () => {
    const day = "2026-12-08";
    const at = new Date("2026-12-08T02:00:00.000Z"); // 10:00 Shanghai
    const paid = await paidOrder(at);
    await refundOrderThroughProvider(database.prisma, paid.order.id, at);
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: paid.order.id, kind: "REFUND" } });
    wx.finishRefund(call.idempotencyNo);
    await database.prisma.providerCall.update({ where: { id: call.id }, data: { doneAt: at } });
    // A 10.00 coupon the merchant funds: WeChat settles 113.45 of the 123.45 and refunds the shopper's 113.45.
    wx.billRows = (rows) => rows.map((r) => (r[9] === "SUCCESS" ? Object.assign([...r], { 12: "113.45", 13: "10.00" }) : Object.assign([...r], { 12: "113.45", 13: "10.00", 16: "113.45" })));
    try {
      const lines = await provider.downloadBill(day);
      expect(lines.map((l) => [l.kind, l.amountFen])).toEqual([["payment", 12_345], ["refund", 12_345]]);
      const run = await reconcileBill(database.prisma, "wechatpay", day, lines, new Date("2026-12-09T03:00:00.000Z"));
      expect(run).toMatchObject({ status: "MATCHED", billCount: 2, ourCount: 2, differences: [] });
    } finally {
      wx.billRows = undefined;
    }
  });

  it("before 10:00 nothing is fetched; a corrupted download fails its SHA1 and is recorded, then retried an hour later", async () => {
    expect(await reconcileYesterday(database.prisma, [provider], new Date("2026-12-03T01:00:00.000Z"))).toEqual([]); // 09:00 Shanghai
    await paidOrder(new Date("2026-12-02T02:00:00.000Z")); // the day has a bill
    wx.corruptBill = true;
    const [failed] = await reconcileYesterday(database.prisma, [provider], new Date("2026-12-03T03:00:00.000Z"));
    expect(failed).toMatchObject({ billDate: "2026-12-02", status: "FAILED", error: "wechatpay bill failed its SHA1 check" });
    wx.corruptBill = false;
    expect(await reconcileYesterday(database.prisma, [provider], new Date("2026-12-03T03:30:00.000Z"))).toEqual([]);
    const [again] = await reconcileYesterday(database.prisma, [provider], new Date("2026-12-03T04:01:00.000Z"));
    expect(again.status).not.toBe("FAILED");
  });

  it("a day without a bill (NO_STATEMENT_EXIST) is an empty bill", async () => {
    wx.billRows = () => [];
    try {
      expect(await provider.downloadBill("2026-11-20")).toEqual([]);
    } finally {
      wx.billRows = undefined;
    }
  });
});
