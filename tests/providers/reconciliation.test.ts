// Daily reconciliation as a merchant's accountant reads it, against the local Alipay and WeChat Pay
// protocol servers: what the system handled itself is no difference — a payment that came after its order
// closed (or paid twice) and was refunded automatically, a payment at the wrong amount refunded the same
// way, a payment made before midnight whose callback came after it, a refund the provider finished after
// midnight (dated by the provider's success time) — while a real mismatch still is.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { cancelUnpaidOrder, createOrder } from "../../server/orders";
import { handlePaymentNotification, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { reconcileBill } from "../../server/payments/reconcile";
import { performDueProviderCalls } from "../../server/payments/calls";
import { freshDatabase } from "../helpers/db";
import { teaShopWithAlice } from "../helpers/shop";
import { AlipayTestServer } from "../helpers/alipay-server";
import { WechatPayTestServer } from "../helpers/wechatpay-server";

const WECHAT_UA = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI Language/zh_CN";
const BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) Mobile";
const config = parseConfig({});
const PRICE = 10_005; // 100.05
let database: Database;
let ali: AlipayTestServer;
let wx: WechatPayTestServer;
let alipay: AlipayProvider;
let wechatpay: WechatPayProvider;
let memberId: number;

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  wx = await new WechatPayTestServer().start();
  alipay = new AlipayProvider(ali.config());
  wechatpay = new WechatPayProvider(wx.config());
  registerProvider(alipay);
  registerProvider(wechatpay);
  database = await freshDatabase();
  const db = database.prisma;
  memberId = await teaShopWithAlice(db, config, PRICE);
  await db.externalAccount.create({ data: { memberId, platform: "wechat", appId: wx.appid, subject: "oReconcile000000000000000001", createdAt: new Date() } });
  vi.stubEnv("PAYMENT_PROVIDER", "alipay");
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await ali.stop();
  await wx.stop();
  await database.close();
});

const at = (iso: string) => new Date(iso);

async function placeOrder(when: Date) {
  return inTx(database.prisma, { config, now: when }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
}

/** The shopper opens Alipay's cashier for the order at `when`. */
async function alipayCheckout(orderId: number, when: Date) {
  ali.clock = () => when;
  const { reference, cashierUrl } = await startPayment(database.prisma, { orderId, memberId, client: { userAgent: BROWSER_UA }, baseUrl: "http://127.0.0.1:3100", now: when });
  expect(await ali.openCashier(cashierUrl)).toBe(200);
  return reference;
}

/** The shopper pays at Alipay at `paid`; we take the notice at `recorded` (later when it comes late). */
async function alipayPays(reference: string, paid: Date, recorded = paid) {
  ali.clock = () => paid;
  const notice = ali.pay(reference);
  const r = await handlePaymentNotification(database.prisma, "alipay", notice.body, new Headers(notice.headers), recorded, recorded);
  return { outcome: r.outcome, txn: ali.trades.get(reference)!.trade_no };
}

async function wechatCheckout(orderId: number, when: Date) {
  wx.clock = () => when;
  const { reference } = await startPayment(database.prisma, { orderId, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: when });
  return reference;
}

async function wechatPays(reference: string, paid: Date, recorded = paid) {
  wx.clock = () => paid;
  const cb = wx.pay(reference);
  const r = await handlePaymentNotification(database.prisma, "wechatpay", cb.body, new Headers(cb.headers), recorded);
  return { outcome: r.outcome, txn: wx.trades.get(reference)!.transaction_id! };
}

const NEXT_MORNING = at("2026-12-20T03:00:00.000Z");

describe("what the system handled is no difference", () => {
  it("a payment after its order was cancelled, and an order paid twice, both refunded automatically, match the day's bill", async () => {
    // 2026-12-10 (Beijing): X is cancelled by the shopper at 10:05, then paid at Alipay at 10:06.
    const x = await placeOrder(at("2026-12-10T02:00:00.000Z"));
    const xRef = await alipayCheckout(x.id, at("2026-12-10T02:00:00.000Z"));
    expect(await inTx(database.prisma, { config, now: at("2026-12-10T02:05:00.000Z") }, (ctx) => cancelUnpaidOrder(ctx, x.id, "shopper"))).toBe(true);
    expect((await alipayPays(xRef, at("2026-12-10T02:06:00.000Z"))).outcome).toBe("refused");
    // Y is opened in two cashiers and paid in both: the second payment is refunded.
    const y = await placeOrder(at("2026-12-10T03:00:00.000Z"));
    const yRef1 = await alipayCheckout(y.id, at("2026-12-10T03:00:00.000Z"));
    const yRef2 = await alipayCheckout(y.id, at("2026-12-10T03:01:00.000Z"));
    expect((await alipayPays(yRef1, at("2026-12-10T03:02:00.000Z"))).outcome).toBe("paid");
    expect((await alipayPays(yRef2, at("2026-12-10T03:03:00.000Z"))).outcome).toBe("refused");
    expect(await database.prisma.paymentIntent.count({ where: { reference: { in: [xRef, yRef2] }, status: "REFUNDED_LATE" } })).toBe(2);
    // Y is refunded in full the next morning (its payment row is REFUNDED by the time the day is compared).
    ali.clock = () => at("2026-12-11T01:00:00.000Z");
    await refundOrderThroughProvider(database.prisma, y.id, at("2026-12-11T01:00:00.000Z"));

    const lines = await alipay.downloadBill("2026-12-10");
    expect(lines.map((l) => l.kind)).toEqual(["payment", "refund", "payment", "payment", "refund"]);
    const run = await reconcileBill(database.prisma, "alipay", "2026-12-10", lines, NEXT_MORNING);
    // Three payments in, two refunded the same day: 100.05 net on both sides.
    expect(run).toMatchObject({ status: "MATCHED", billCount: 5, billTotalFen: PRICE, ourCount: 5, ourTotalFen: PRICE, differences: [] });
    // The refund day: Y's refund matches too.
    const refundDay = await reconcileBill(database.prisma, "alipay", "2026-12-11", await alipay.downloadBill("2026-12-11"), NEXT_MORNING);
    expect(refundDay).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: -PRICE, ourCount: 1, ourTotalFen: -PRICE });
  });

  it("a payment made at 23:59:30 whose notice came at 00:00:30 belongs to the day Alipay's bill lists it on", async () => {
    const z = await placeOrder(at("2026-12-16T15:40:00.000Z")); // 23:40 on the 16th
    const ref = await alipayCheckout(z.id, at("2026-12-16T15:40:00.000Z"));
    const { outcome } = await alipayPays(ref, at("2026-12-16T15:59:30.000Z"), at("2026-12-16T16:00:30.000Z"));
    expect(outcome).toBe("paid");
    // Our record is of the 17th (when we heard of it); Alipay's bill lists it on the 16th.
    expect((await database.prisma.payment.findFirstOrThrow({ where: { orderId: z.id } })).paidAt).toEqual(at("2026-12-16T16:00:30.000Z"));

    const before = await reconcileBill(database.prisma, "alipay", "2026-12-16", await alipay.downloadBill("2026-12-16"), NEXT_MORNING);
    expect(before).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: PRICE, ourCount: 1, ourTotalFen: PRICE });
    const after = await alipay.downloadBill("2026-12-17");
    expect(after).toEqual([]);
    expect(await reconcileBill(database.prisma, "alipay", "2026-12-17", after, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 0, ourCount: 0, ourTotalFen: 0, differences: [] });
  });

  it("WeChat Pay: a payment at the wrong amount refunded automatically, and one paid at 23:59:50 heard of at 00:00:20, match by WeChat's day", async () => {
    // 2026-12-13 12:01: WeChat took 100.04 for an order of 100.05; refunded at once, WeChat finishes the refund at 12:02.
    const m = await placeOrder(at("2026-12-13T04:00:00.000Z"));
    const mRef = await wechatCheckout(m.id, at("2026-12-13T04:00:00.000Z"));
    wx.trades.get(mRef)!.total = PRICE - 1;
    const mPaid = await wechatPays(mRef, at("2026-12-13T04:01:00.000Z"));
    expect(mPaid.outcome).toBe("refused");
    wx.clock = () => at("2026-12-13T04:02:00.000Z");
    wx.finishRefund(`MISMATCH-${mPaid.txn}`);
    // 23:59:50 on the 13th at WeChat; the callback reaches us at 00:00:20 on the 14th.
    const w = await placeOrder(at("2026-12-13T15:50:00.000Z"));
    const wRef = await wechatCheckout(w.id, at("2026-12-13T15:50:00.000Z"));
    expect((await wechatPays(wRef, at("2026-12-13T15:59:50.000Z"), at("2026-12-13T16:00:20.000Z"))).outcome).toBe("paid");

    const lines = await wechatpay.downloadBill("2026-12-13");
    expect(lines.map((l) => [l.kind, l.amountFen])).toEqual([["payment", PRICE - 1], ["payment", PRICE], ["refund", PRICE - 1]]);
    const day = await reconcileBill(database.prisma, "wechatpay", "2026-12-13", lines, NEXT_MORNING);
    expect(day).toMatchObject({ status: "MATCHED", billCount: 3, billTotalFen: PRICE, ourCount: 3, ourTotalFen: PRICE, differences: [] });
    const next = await wechatpay.downloadBill("2026-12-14");
    expect(next).toEqual([]);
    expect(await reconcileBill(database.prisma, "wechatpay", "2026-12-14", next, NEXT_MORNING)).toMatchObject({ status: "MATCHED", ourCount: 0, differences: [] });
  });
});

describe("a refund across midnight is ours on the day the provider's bill lists it", () => {
  it("WeChat Pay: asked at 23:58, finished by WeChat at 00:03 the next day, its callback dates it", async () => {
    const db = database.prisma;
    // 2026-12-18 10:00 (Beijing): paid.
    const o = await placeOrder(at("2026-12-18T02:00:00.000Z"));
    const ref = await wechatCheckout(o.id, at("2026-12-18T02:00:00.000Z"));
    expect((await wechatPays(ref, at("2026-12-18T02:01:00.000Z"))).outcome).toBe("paid");
    // 23:58: the refund is asked and WeChat accepts it (PROCESSING)…
    wx.clock = () => at("2026-12-18T15:58:00.000Z");
    await refundOrderThroughProvider(db, o.id, at("2026-12-18T15:58:00.000Z"));
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: o.id, kind: "REFUND" } });
    expect(wx.refunds.get(call.idempotencyNo)!.status).toBe("PROCESSING");
    // …and finishes it at 00:03 on the 19th; its callback comes at 00:03:30, twice.
    wx.clock = () => at("2026-12-18T16:03:00.000Z");
    const done = wx.finishRefund(call.idempotencyNo);
    const outcomes: string[] = [];
    for (let i = 0; i < 2; i++) outcomes.push((await handlePaymentNotification(db, "wechatpay", done.body, new Headers(done.headers), at("2026-12-18T16:03:30.000Z"))).outcome);
    expect(outcomes).toEqual(["paid", "duplicate"]);
    expect(await db.providerCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ status: "DONE", doneAt: at("2026-12-18T16:03:00.000Z") });

    const day = await wechatpay.downloadBill("2026-12-18");
    expect(day.map((l) => l.kind)).toEqual(["payment"]);
    expect(await reconcileBill(db, "wechatpay", "2026-12-18", day, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: PRICE, ourCount: 1, ourTotalFen: PRICE, differences: [] });
    const next = await wechatpay.downloadBill("2026-12-19");
    expect(next.map((l) => [l.kind, l.refundNo])).toEqual([["refund", call.idempotencyNo]]);
    expect(await reconcileBill(db, "wechatpay", "2026-12-19", next, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: -PRICE, ourCount: 1, ourTotalFen: -PRICE, differences: [] });
  });

  it("Alipay: asked at 23:59:59 by our clock, paid back at 00:00:01 by Alipay's, dated by its answer (gmt_refund_pay) and its notice alike", async () => {
    const db = database.prisma;
    const o = await placeOrder(at("2026-12-18T03:00:00.000Z"));
    const ref = await alipayCheckout(o.id, at("2026-12-18T03:00:00.000Z"));
    expect((await alipayPays(ref, at("2026-12-18T03:01:00.000Z"))).outcome).toBe("paid");
    ali.clock = () => at("2026-12-18T16:00:01.000Z");
    await refundOrderThroughProvider(db, o.id, at("2026-12-18T15:59:59.000Z"));
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: o.id, kind: "REFUND" } });
    expect(call).toMatchObject({ status: "DONE", doneAt: at("2026-12-18T16:00:01.000Z") });
    const notice = ali.refundNotice(ref, call.idempotencyNo);
    expect((await handlePaymentNotification(db, "alipay", notice.body, new Headers(notice.headers), at("2026-12-18T16:00:05.000Z"), at("2026-12-18T16:00:05.000Z"))).outcome).toBe("paid");
    expect((await db.providerCall.findUniqueOrThrow({ where: { id: call.id } })).doneAt).toEqual(at("2026-12-18T16:00:01.000Z"));

    const day = await alipay.downloadBill("2026-12-18");
    expect(day.map((l) => l.kind)).toEqual(["payment"]);
    expect(await reconcileBill(db, "alipay", "2026-12-18", day, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: PRICE, ourCount: 1, ourTotalFen: PRICE, differences: [] });
    const next = await alipay.downloadBill("2026-12-19");
    expect(next.map((l) => [l.kind, l.refundNo])).toEqual([["refund", call.idempotencyNo]]);
    expect(await reconcileBill(db, "alipay", "2026-12-19", next, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 1, billTotalFen: -PRICE, ourCount: 1, ourTotalFen: -PRICE, differences: [] });
  });

  it("a refund WeChat took while our call timed out is settled by its callback, dated by it, and never asked again", async () => {
    const db = database.prisma;
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const o = await placeOrder(at("2026-12-22T02:00:00.000Z"));
    const ref = await wechatCheckout(o.id, at("2026-12-22T02:00:00.000Z"));
    expect((await wechatPays(ref, at("2026-12-22T02:01:00.000Z"))).outcome).toBe("paid");
    // WeChat accepts the refund, but its answer never reaches us: our call waits for a retry.
    const ask = vi.spyOn(wechatpay, "refund").mockImplementationOnce(async (req) => {
      await WechatPayProvider.prototype.refund.call(wechatpay, req);
      throw new Error("provider did not answer within 20000 ms");
    });
    wx.clock = () => at("2026-12-22T03:00:00.000Z");
    await refundOrderThroughProvider(db, o.id, at("2026-12-22T03:00:00.000Z"));
    ask.mockRestore();
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: o.id, kind: "REFUND" } });
    expect(call).toMatchObject({ status: "PENDING", attempts: 1, doneAt: null });
    wx.clock = () => at("2026-12-22T03:00:40.000Z");
    const done = wx.finishRefund(call.idempotencyNo);
    expect((await handlePaymentNotification(db, "wechatpay", done.body, new Headers(done.headers), at("2026-12-22T03:00:50.000Z"))).outcome).toBe("paid");
    expect(await db.providerCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ status: "DONE", doneAt: at("2026-12-22T03:00:40.000Z"), lastError: null });
    const asked = vi.spyOn(wechatpay, "refund");
    await performDueProviderCalls(db, at("2026-12-22T05:00:00.000Z"));
    expect(asked).not.toHaveBeenCalledWith(expect.objectContaining({ refundNo: call.idempotencyNo }));
    asked.mockRestore();

    const day = await wechatpay.downloadBill("2026-12-22");
    expect(await reconcileBill(db, "wechatpay", "2026-12-22", day, NEXT_MORNING)).toMatchObject({ status: "MATCHED", billCount: 2, billTotalFen: 0, ourCount: 2, ourTotalFen: 0, differences: [] });
  });
});

describe("a real mismatch is still a difference", () => {
  it("a different amount (also of an automatically refunded payment), a line we have no record of, and a payment of ours the bill lacks", async () => {
    // 2026-12-15: G1 paid normally; G2 and G3 paid after their orders were cancelled and refunded automatically.
    const g1 = await placeOrder(at("2026-12-15T02:00:00.000Z"));
    const g1Paid = await alipayPays(await alipayCheckout(g1.id, at("2026-12-15T02:00:00.000Z")), at("2026-12-15T02:01:00.000Z"));
    const late = async (hour: string) => {
      const o = await placeOrder(at(`2026-12-15T${hour}:00:00.000Z`));
      const ref = await alipayCheckout(o.id, at(`2026-12-15T${hour}:00:00.000Z`));
      await inTx(database.prisma, { config, now: at(`2026-12-15T${hour}:05:00.000Z`) }, (ctx) => cancelUnpaidOrder(ctx, o.id, "shopper"));
      return { reference: ref, ...(await alipayPays(ref, at(`2026-12-15T${hour}:06:00.000Z`))) };
    };
    const g2 = await late("03");
    const g3 = await late("04");
    const g1Ref = (await database.prisma.paymentIntent.findFirstOrThrow({ where: { orderId: g1.id } })).reference;
    // Alipay's side: G1 at 100.00, G2's payment missing (its refund listed), G3 at 99.99, and a payment not ours.
    ali.editBill = (rows) => [
      ...rows
        .filter((r) => !(r.trade_no === g2.txn && r.type === "交易"))
        .map((r) => (r.type !== "交易" ? r : r.trade_no === g1Paid.txn ? { ...r, total_amount: "100.00", received: "100.00" } : r.trade_no === g3.txn ? { ...r, total_amount: "99.99", received: "99.99" } : r)),
      { at: at("2026-12-15T05:00:00.000Z"), type: "交易", trade_no: "2026121599999", out_trade_no: "FOREIGN-1", total_amount: "9.99", received: "9.99", out_request_no: "" },
    ];
    try {
      const run = await reconcileBill(database.prisma, "alipay", "2026-12-15", await alipay.downloadBill("2026-12-15"), NEXT_MORNING);
      expect(run.status).toBe("DIFFERENCES");
      expect(run.differences).toEqual(
        expect.arrayContaining([
          { kind: "payment", issue: "amount_mismatch", reference: g1Ref, providerTxnId: g1Paid.txn, refundNo: null, providerFen: 10_000, ourFen: PRICE },
          { kind: "payment", issue: "amount_mismatch", reference: g3.reference, providerTxnId: g3.txn, refundNo: null, providerFen: 9_999, ourFen: PRICE },
          { kind: "payment", issue: "missing_here", reference: "FOREIGN-1", providerTxnId: "2026121599999", refundNo: null, providerFen: 999, ourFen: null },
          { kind: "payment", issue: "missing_at_provider", reference: null, providerTxnId: g2.txn, refundNo: null, providerFen: null, ourFen: PRICE },
        ]),
      );
      expect(run.differences).toHaveLength(4);
    } finally {
      ali.editBill = undefined;
    }
  });
});
