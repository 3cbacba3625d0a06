// A refund whose callback never comes, against the local WeChat Pay and Alipay protocol servers: the sweep
// asks the provider (WeChat GET /v3/refund/domestic/refunds/{out_refund_no}, alipay.trade.fastpay.refund.query)
// and records its answer through the refund callback's own handler — dated by the provider's success time,
// once (a second sweep or the late callback changes nothing); CLOSED / ABNORMAL as their callbacks do;
// PROCESSING asked again later, for a bounded time.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { createOrder } from "../../server/orders";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { freshDatabase } from "../helpers/db";
import { teaShopWithAlice } from "../helpers/shop";
import { AlipayTestServer } from "../helpers/alipay-server";
import { WechatPayTestServer } from "../helpers/wechatpay-server";

const BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) Mobile";
const config = parseConfig({});
const PRICE = 10_005; // 100.05
let database: Database;
let ali: AlipayTestServer;
let wx: WechatPayTestServer;
let memberId: number;

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  wx = await new WechatPayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  registerProvider(new WechatPayProvider(wx.config()));
  database = await freshDatabase();
  memberId = await teaShopWithAlice(database.prisma, config, PRICE);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await ali.stop();
  await wx.stop();
  await database.close();
});

const at = (iso: string) => new Date(iso);
const plus = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000);
const DAYS = 24 * 60;

/** An order of one tea placed at `when` and paid through `provider` a minute later (its callback taken). */
async function paidOrder(provider: "wechatpay" | "alipay", when: Date) {
  const db = database.prisma;
  const order = await inTx(db, { config, now: when }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
  const paid = plus(when, 1);
  wx.clock = ali.clock = () => when;
  const { reference, cashierUrl } = await startPayment(db, { orderId: order.id, memberId, provider, client: { userAgent: BROWSER_UA, ip: "203.0.113.9" }, baseUrl: "http://127.0.0.1:3100", now: when });
  wx.clock = ali.clock = () => paid;
  if (provider === "alipay") {
    expect(await ali.openCashier(cashierUrl)).toBe(200);
    const n = ali.pay(reference);
    expect((await handlePaymentNotification(db, "alipay", n.body, new Headers(n.headers), paid, paid)).outcome).toBe("paid");
  } else {
    const cb = wx.pay(reference);
    expect((await handlePaymentNotification(db, "wechatpay", cb.body, new Headers(cb.headers), paid)).outcome).toBe("paid");
  }
  return order;
}

/** Refunds the order at `when` (the provider's clock too); returns its refund call. */
async function refundAt(orderId: number, when: Date) {
  wx.clock = ali.clock = () => when;
  await refundOrderThroughProvider(database.prisma, orderId, when);
  return database.prisma.providerCall.findFirstOrThrow({ where: { orderId, kind: "REFUND" } });
}

const callOf = (id: number) => database.prisma.providerCall.findUniqueOrThrow({ where: { id } });

/** The audit entries of one refund under one action: their data. */
async function entries(action: string, refundNo: string) {
  const rows = await database.prisma.auditLog.findMany({ where: { action, data: { path: ["refundNo"], equals: refundNo } }, orderBy: { id: "asc" } });
  return rows.map((r) => r.data);
}

const asked = (server: { refundQueries: string[] }, refundNo: string) => server.refundQueries.filter((n) => n === refundNo).length;

const alerts = (text: string) => vi.mocked(console.error).mock.calls.filter((c) => c[0] === text).length;

describe("a refund whose callback is lost is settled by asking the provider", () => {
  it("WeChat Pay: asked 10 minutes after it was sent, confirmed and dated by its success_time; a second sweep and the late callback change nothing", async () => {
    const db = database.prisma;
    const order = await paidOrder("wechatpay", at("2026-12-01T02:00:00.000Z"));
    const t0 = at("2026-12-01T03:00:00.000Z");
    const call = await refundAt(order.id, t0);
    // Accepted as PROCESSING: done on our side, dated by our call until WeChat says when it succeeded.
    expect(call).toMatchObject({ status: "DONE", doneAt: t0 });
    expect(await entries("payment.refund_sent", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, status: "PROCESSING" }]);

    expect(await reconcileOpenRefunds(db, plus(t0, 5))).toBe(0); // too early to ask
    expect(asked(wx, call.idempotencyNo)).toBe(0);
    expect(await reconcileOpenRefunds(db, plus(t0, 11))).toBe(0); // still PROCESSING at WeChat
    expect(asked(wx, call.idempotencyNo)).toBe(1);
    expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toEqual([]);

    // WeChat pays it back at 03:12:00; its callback never reaches us.
    const succeeded = at("2026-12-01T03:12:00.000Z");
    wx.clock = () => succeeded;
    const lost = wx.finishRefund(call.idempotencyNo);
    expect(await reconcileOpenRefunds(db, plus(t0, 15))).toBe(0); // asked at 03:11: not again before 03:21
    expect(asked(wx, call.idempotencyNo)).toBe(1);
    expect(await reconcileOpenRefunds(db, plus(t0, 22))).toBe(1);
    expect(asked(wx, call.idempotencyNo)).toBe(2);
    const confirmed = await callOf(call.id);
    expect(confirmed).toMatchObject({ status: "DONE", doneAt: succeeded });
    expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, status: "SUCCESS" }]);

    expect(await reconcileOpenRefunds(db, plus(t0, 60))).toBe(0);
    expect(asked(wx, call.idempotencyNo)).toBe(2);
    const late = await handlePaymentNotification(db, "wechatpay", lost.body, new Headers(lost.headers), plus(t0, 61));
    expect(late).toEqual({ outcome: "duplicate" });
    expect(await callOf(call.id)).toEqual(confirmed);
    expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toHaveLength(1);
  });

  it("Alipay: a refund answered fund_change N is confirmed by the refund query, dated by its gmt_refund_pay; a second sweep and the late notice change nothing", async () => {
    const db = database.prisma;
    const order = await paidOrder("alipay", at("2026-12-02T02:00:00.000Z"));
    ali.deferRefunds = true;
    try {
      const t0 = at("2026-12-02T03:00:00.000Z");
      const call = await refundAt(order.id, t0);
      // Accepted, no money moved yet (fund_change N): to be confirmed by the refund query.
      expect(call).toMatchObject({ status: "DONE", doneAt: t0 });
      expect(await entries("payment.refund_sent", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, status: "PROCESSING" }]);
      expect(await reconcileOpenRefunds(db, plus(t0, 11))).toBe(0); // no refund_status yet
      expect(asked(ali, call.idempotencyNo)).toBe(1);
      expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toEqual([]);

      // Alipay pays it back at 03:12:00.320 by its clock; its notice never reaches us.
      const paidBack = at("2026-12-02T03:12:00.320Z");
      ali.clock = () => paidBack;
      const lost = ali.completeRefund(call.idempotencyNo);
      expect(await reconcileOpenRefunds(db, plus(t0, 22))).toBe(1);
      const confirmed = await callOf(call.id);
      // gmt_refund_pay is written to the second.
      expect(confirmed).toMatchObject({ status: "DONE", doneAt: at("2026-12-02T03:12:00.000Z") });
      expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, status: "SUCCESS" }]);

      expect(await reconcileOpenRefunds(db, plus(t0, 60))).toBe(0);
      expect(asked(ali, call.idempotencyNo)).toBe(2);
      // The notice says the millisecond; the refund is recorded already, so it changes nothing, not even the time.
      const late = await handlePaymentNotification(db, "alipay", lost.body, new Headers(lost.headers), plus(t0, 13), plus(t0, 13));
      expect(late).toEqual({ outcome: "duplicate" });
      expect(await callOf(call.id)).toEqual(confirmed);
      expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toHaveLength(1);
    } finally {
      ali.deferRefunds = false;
    }
  });

  it("WeChat Pay: CLOSED and ABNORMAL answers end the refund as those callbacks do — staff alerted once, the refund not dated, never asked again", async () => {
    const db = database.prisma;
    const t0 = at("2026-12-03T03:00:00.000Z");
    const orders = [await paidOrder("wechatpay", at("2026-12-03T02:00:00.000Z")), await paidOrder("wechatpay", at("2026-12-03T02:10:00.000Z")), await paidOrder("wechatpay", at("2026-12-03T02:20:00.000Z"))];
    const [byQueryClosed, byQueryAbnormal, byCallbackClosed] = [await refundAt(orders[0].id, t0), await refundAt(orders[1].id, t0), await refundAt(orders[2].id, t0)];
    wx.clock = () => at("2026-12-03T03:05:00.000Z");
    const lostClosed = wx.finishRefund(byQueryClosed.idempotencyNo, "CLOSED");
    const lostAbnormal = wx.finishRefund(byQueryAbnormal.idempotencyNo, "ABNORMAL");
    const delivered = wx.finishRefund(byCallbackClosed.idempotencyNo, "CLOSED");
    expect((await handlePaymentNotification(db, "wechatpay", delivered.body, new Headers(delivered.headers), plus(t0, 6))).outcome).toBe("paid");

    expect(await reconcileOpenRefunds(db, plus(t0, 11))).toBe(2);
    expect([byQueryClosed, byQueryAbnormal, byCallbackClosed].map((r) => asked(wx, r.idempotencyNo))).toEqual([1, 1, 0]);
    for (const [call, status] of [[byQueryClosed, "CLOSED"], [byQueryAbnormal, "ABNORMAL"], [byCallbackClosed, "CLOSED"]] as const) {
      expect(await entries("payment.refund_failed", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, status }]);
      expect(await entries("payment.refund_confirmed", call.idempotencyNo)).toEqual([]);
      // The money did not reach the shopper: the call keeps the time we sent it.
      expect(await callOf(call.id)).toMatchObject({ status: "DONE", doneAt: t0 });
      expect(alerts(`[alert] refund ${call.id} ended ${status} at wechatpay: settle it by hand`)).toBe(1);
    }

    expect(await reconcileOpenRefunds(db, plus(t0, 30))).toBe(0);
    expect([byQueryClosed, byQueryAbnormal].map((r) => asked(wx, r.idempotencyNo))).toEqual([1, 1]);
    for (const cb of [lostClosed, lostAbnormal]) {
      expect((await handlePaymentNotification(db, "wechatpay", cb.body, new Headers(cb.headers), plus(t0, 31))).outcome).toBe("duplicate");
    }
    expect(alerts(`[alert] refund ${byQueryClosed.id} ended CLOSED at wechatpay: settle it by hand`)).toBe(1);
    expect(alerts(`[alert] refund ${byQueryAbnormal.id} ended ABNORMAL at wechatpay: settle it by hand`)).toBe(1);
  });

  it("WeChat Pay: a refund still PROCESSING stays pending and is asked again, for 14 days; then an alert, once, and no more asking — its callback still confirms it", async () => {
    const db = database.prisma;
    const order = await paidOrder("wechatpay", at("2026-12-04T02:00:00.000Z"));
    const t0 = at("2026-12-04T03:00:00.000Z");
    const call = await refundAt(order.id, t0);
    expect(await reconcileOpenRefunds(db, plus(t0, 11))).toBe(0);
    expect(await reconcileOpenRefunds(db, plus(t0, 22))).toBe(0);
    expect(await reconcileOpenRefunds(db, plus(t0, 14 * DAYS - 20))).toBe(0);
    expect(asked(wx, call.idempotencyNo)).toBe(3);
    expect(await callOf(call.id)).toMatchObject({ status: "DONE", doneAt: t0 });
    for (const action of ["payment.refund_confirmed", "payment.refund_failed", "payment.refund_unconfirmed"]) expect(await entries(action, call.idempotencyNo)).toEqual([]);

    const giveUp = `[alert] refund ${call.id} still unconfirmed by wechatpay after 14 days: no longer asked, check it by hand`;
    expect(alerts(giveUp)).toBe(0);
    expect(await reconcileOpenRefunds(db, plus(t0, 14 * DAYS))).toBe(0);
    expect(asked(wx, call.idempotencyNo)).toBe(4);
    expect(alerts(giveUp)).toBe(1);
    expect(await entries("payment.refund_unconfirmed", call.idempotencyNo)).toEqual([{ refundNo: call.idempotencyNo, days: 14 }]);
    expect(await reconcileOpenRefunds(db, plus(t0, 15 * DAYS))).toBe(0);
    expect(asked(wx, call.idempotencyNo)).toBe(4);
    expect(alerts(giveUp)).toBe(1);
    expect(await entries("payment.refund_unconfirmed", call.idempotencyNo)).toHaveLength(1);

    // WeChat's own word still counts when it comes.
    const succeeded = plus(t0, 15 * DAYS + 5);
    wx.clock = () => succeeded;
    const cb = wx.finishRefund(call.idempotencyNo);
    expect((await handlePaymentNotification(db, "wechatpay", cb.body, new Headers(cb.headers), plus(t0, 15 * DAYS + 6))).outcome).toBe("paid");
    expect(await callOf(call.id)).toMatchObject({ status: "DONE", doneAt: succeeded });
  });

  it("a provider that fails does not stop the others; a run asks at most `limit` refunds, the least recently asked first", async () => {
    const db = database.prisma;
    const t0 = at("2026-12-05T03:00:00.000Z");
    const first = await paidOrder("wechatpay", at("2026-12-05T02:00:00.000Z"));
    const second = await paidOrder("wechatpay", at("2026-12-05T02:10:00.000Z"));
    // A refund at a provider no longer configured here, sent ten minutes before the others.
    const sentBefore = plus(t0, -10);
    const old = await inTx(db, { config, now: sentBefore }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
    const retired = await db.providerCall.create({
      data: { kind: "REFUND", provider: "retired", idempotencyNo: "RF-RETIRED-1", amountFen: PRICE, providerTxnId: "T-RETIRED-1", orderId: old.id, status: "DONE", nextAttemptAt: sentBefore, lastAttemptAt: sentBefore, createdAt: sentBefore, doneAt: sentBefore, refundOpenSince: sentBefore },
    });
    const [one, two] = [await refundAt(first.id, t0), await refundAt(second.id, t0)];
    const succeeded = at("2026-12-05T03:05:00.000Z");
    wx.clock = () => succeeded;
    wx.finishRefund(one.idempotencyNo);
    wx.finishRefund(two.idempotencyNo);

    // The retired one (asked first) fails; the next is confirmed; the third waits for the next run.
    expect(await reconcileOpenRefunds(db, plus(t0, 11), 2)).toBe(1);
    expect(vi.mocked(console.warn).mock.calls.some((c) => String(c[0]).startsWith(`[payments] query of refund ${retired.id} failed`))).toBe(true);
    expect([one, two].map((r) => asked(wx, r.idempotencyNo))).toEqual([1, 0]);
    expect(await callOf(one.id)).toMatchObject({ doneAt: succeeded });
    expect(await reconcileOpenRefunds(db, plus(t0, 12), 2)).toBe(1);
    expect(await callOf(two.id)).toMatchObject({ doneAt: succeeded });
    expect(await entries("payment.refund_confirmed", "RF-RETIRED-1")).toEqual([]);
  });
});
