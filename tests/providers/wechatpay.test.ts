// WeChat Pay API v3 end to end against a local server that speaks the published protocol (its own
// keys, real RSA signatures both ways, AES-256-GCM callback resources), through the SDK's signing and
// verification and our notify route: create → pay → callbacks (duplicated, late, forged, tampered)
// → refund with its callback → payout to 零钱 (商家转账).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createVerify, generateKeyPairSync } from "node:crypto";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { cancelUnpaidOrder, createOrder } from "../../server/orders";
import { reconcileOpenPayments, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";
import { WechatPayTestServer, type SignedCallback } from "../helpers/wechatpay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { POST } = await import("../../app/api/payments/[provider]/notify/route");

const WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";
const SAFARI_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1";
const config = parseConfig({});
const OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";
let database: Database;
let wx: WechatPayTestServer;
let memberId: number;

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
  // The batch product (WECHATPAY_TRANSFER_API=batches); the default transfer bills: wechatpay-transfer-bills.test.ts.
  registerProvider(new WechatPayProvider({ ...wx.config(), transferApi: "batches" }));
  database = await freshDatabase();
  holder.db = database.prisma;
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await db.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(db, { sku: "tea", name: "龙井", priceFen: 12_345, category: "tea", stock: 50 });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
  await db.externalAccount.create({ data: { memberId, platform: "wechat", appId: wx.appid, subject: OPENID, createdAt: new Date() } });
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await wx.stop();
  await database.close();
});

async function newOrder() {
  return inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
}

function deliver(cb: SignedCallback) {
  const req = new Request("http://127.0.0.1:3100/api/payments/wechatpay/notify", { method: "POST", body: cb.body, headers: cb.headers });
  return POST(req, { params: Promise.resolve({ provider: "wechatpay" }) });
}

const orderStatus = async (id: number) => (await database.prisma.order.findUniqueOrThrow({ where: { id } })).status;

describe("WeChat Pay JSAPI inside the WeChat browser", () => {
  it("prepays with the shopper's openid and hands the cashier page a paySign WeChat can verify", async () => {
    const order = await newOrder();
    const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    expect(cashierUrl).toBe(`/pay/wechatpay/${reference}`);
    const trade = wx.trades.get(reference)!;
    expect(trade).toMatchObject({ openid: OPENID, total: order.payableFen, notify_url: "http://127.0.0.1:3100/api/payments/wechatpay/notify" });
    const intent = await database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } });
    const p = intent.cashierParams as Record<string, string>;
    expect(p).toMatchObject({ appId: wx.appid, package: `prepay_id=${trade.prepay_id}`, signType: "RSA" });
    // What WeChat's client checks: appId, timeStamp, nonceStr, package, each followed by \n, under the merchant key.
    const ok = createVerify("sha256WithRSAEncryption").update(`${p.appId}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`).verify(wx.merchant.publicKey, p.paySign, "base64");
    expect(ok).toBe(true);
    expect(wx.rejected).toEqual([]);
  });

  it("refuses forged, tampered, stale and mis-encrypted callbacks, then pays once on the real one (delivered twice)", async () => {
    const order = await newOrder();
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    const real = wx.pay(reference);
    const resource = JSON.parse(JSON.stringify({ ...wx.trades.get(reference) }));
    const view = { appid: wx.appid, mchid: wx.mchid, out_trade_no: reference, transaction_id: resource.transaction_id, trade_state: "SUCCESS", amount: { total: order.payableFen, currency: "CNY" } };

    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = wx.callback("TRANSACTION.SUCCESS", "transaction", view, { signWith: attacker.privateKey });
    const tampered = { body: real.body.replace(/"ciphertext":"(.)/, (_, c: string) => `"ciphertext":"${c === "A" ? "B" : "A"}`), headers: real.headers };
    const otherSerial = wx.callback("TRANSACTION.SUCCESS", "transaction", view, { serial: "PUB_KEY_ID_0000000000000000000000000000" });
    const stale = wx.callback("TRANSACTION.SUCCESS", "transaction", view, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    // Signed by the platform but encrypted under another APIv3 key: GCM authentication fails.
    const wrongKey = wx.callback("TRANSACTION.SUCCESS", "transaction", view, { apiV3Key: "0".repeat(32) });
    const unsigned = { body: real.body, headers: { "content-type": "application/json" } };
    for (const bad of [forged, tampered, otherSerial, stale, wrongKey, unsigned]) expect((await deliver(bad)).status).toBe(400);
    expect(await orderStatus(order.id)).toBe("PENDING_PAYMENT");

    for (let i = 0; i < 2; i++) expect((await deliver(real)).status).toBe(200);
    expect(await orderStatus(order.id)).toBe("PAID");
    const payments = await database.prisma.payment.findMany({ where: { orderId: order.id } });
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ provider: "wechatpay", providerTxnId: wx.trades.get(reference)!.transaction_id, amountFen: order.payableFen });
  });

  it("a verified payment at another amount than the order's: refunded once although delivered twice, the order unpaid, staff and shopper told", async () => {
    const db = database.prisma;
    const order = await newOrder();
    const { reference } = await startPayment(db, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    // WeChat took 123.44 for an order of 123.45 (what it was asked for never reaches our check otherwise).
    const trade = wx.trades.get(reference)!;
    trade.total = 12_344;
    const paid = wx.pay(reference);
    const txn = trade.transaction_id!;
    const alerts = () => vi.mocked(console.error).mock.calls.filter((c) => String(c[0]).startsWith("[alert]") && String(c[0]).includes("paid 12344 CNY at wechatpay instead of 12345 CNY"));
    const alertsBefore = alerts().length;
    // Answered each time (the money is handled: no retry storm).
    for (let i = 0; i < 2; i++) expect((await deliver(paid)).status).toBe(200);

    expect(await orderStatus(order.id)).toBe("PENDING_PAYMENT");
    expect(await db.payment.count({ where: { orderId: order.id } })).toBe(0);
    expect(await db.paymentIntent.findUniqueOrThrow({ where: { reference } })).toMatchObject({ status: "AMOUNT_MISMATCH", providerTxnId: txn });
    // One refund of what the shopper paid, to the original path, asked of WeChat once.
    expect([...wx.refunds.values()].filter((r) => r.transaction_id === txn)).toEqual([expect.objectContaining({ out_refund_no: `MISMATCH-${txn}`, refund: 12_344, total: 12_344 })]);
    expect(await db.providerCall.findMany({ where: { orderId: order.id, kind: "REFUND" } })).toEqual([expect.objectContaining({ idempotencyNo: `MISMATCH-${txn}`, amountFen: 12_344, status: "DONE" })]);
    const entries = await db.auditLog.findMany({ where: { action: "payment.amount_mismatch_refunded", target: `order:${order.orderNo}` } });
    expect(entries).toHaveLength(1);
    expect(entries[0].data).toMatchObject({ reference, providerTxnId: txn, paidFen: 12_344, expectedFen: 12_345, refundNo: `MISMATCH-${txn}`, refundFen: 12_344 });
    expect(alerts().length - alertsBefore).toBe(1);
    expect(await db.notification.count({ where: { memberId, kind: "refund", body: { contains: order.orderNo } } })).toBe(1);
  });

  it("a payment after its order was cancelled, and a second payment of a paid order: refunded with the shopper told why, once although delivered twice", async () => {
    const db = database.prisma;
    const notices = (orderNo: string) => db.notification.findMany({ where: { memberId, kind: "refund", body: { contains: orderNo } }, select: { kind: true, title: true, body: true } });
    // Cancelled by the shopper, then paid in the WeChat sheet they had left open.
    const cancelled = await newOrder();
    const { reference: lateRef } = await startPayment(db, { orderId: cancelled.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    expect(await inTx(db, { config }, (ctx) => cancelUnpaidOrder(ctx, cancelled.id, "shopper"))).toBe(true);
    const late = wx.pay(lateRef);
    for (let i = 0; i < 2; i++) expect((await deliver(late)).status).toBe(200);
    expect((await db.paymentIntent.findUniqueOrThrow({ where: { reference: lateRef } })).status).toBe("REFUNDED_LATE");
    expect(await notices(cancelled.orderNo)).toEqual([{ kind: "refund", title: "付款将原路退回", body: `订单 ${cancelled.orderNo} 已取消，本次付款将原路退回` }]);

    // Opened in two sheets and paid in both: the second payment goes back.
    const twice = await newOrder();
    const { reference: first } = await startPayment(db, { orderId: twice.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    const { reference: second } = await startPayment(db, { orderId: twice.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    expect((await deliver(wx.pay(first))).status).toBe(200);
    expect(await orderStatus(twice.id)).toBe("PAID");
    const again = wx.pay(second);
    for (let i = 0; i < 2; i++) expect((await deliver(again)).status).toBe(200);
    expect([...wx.refunds.values()].filter((r) => r.transaction_id === wx.trades.get(second)!.transaction_id)).toHaveLength(1);
    expect(await notices(twice.orderNo)).toEqual([{ kind: "refund", title: "付款将原路退回", body: `订单 ${twice.orderNo} 已支付，本次付款将原路退回` }]);
  });

  it("a payment whose callback never comes is found by the order query, and the late callback changes nothing", async () => {
    const order = await newOrder();
    const t0 = new Date();
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: t0 });
    expect(await reconcileOpenPayments(database.prisma, new Date(t0.getTime() + 6 * 60_000))).toBe(0); // not paid yet
    const late = wx.pay(reference); // paid, callback lost
    expect(await reconcileOpenPayments(database.prisma, new Date(t0.getTime() + 60_000))).toBe(0); // too early to ask
    expect(await reconcileOpenPayments(database.prisma, new Date(t0.getTime() + 6 * 60_000))).toBe(1);
    expect(await orderStatus(order.id)).toBe("PAID");
    expect((await deliver(late)).status).toBe(200);
    expect(await database.prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
    expect(await reconcileOpenPayments(database.prisma, new Date(t0.getTime() + 7 * 60_000))).toBe(0);
  });

  it("a payment intent of a provider that is gone does not stop the query of the others", async () => {
    const order = await newOrder();
    const t0 = new Date();
    await database.prisma.paymentIntent.create({ data: { orderId: order.id, provider: "retired", reference: `${order.orderNo}-old`, amountFen: order.payableFen, createdAt: t0 } });
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: t0 });
    wx.pay(reference);
    expect(await reconcileOpenPayments(database.prisma, new Date(t0.getTime() + 6 * 60_000))).toBe(1);
    expect(await orderStatus(order.id)).toBe("PAID");
  });

  it("refunds with the transaction id and takes WeChat's refund callback once; a forged one is refused", async () => {
    const order = await newOrder();
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    expect((await deliver(wx.pay(reference))).status).toBe(200);
    await refundOrderThroughProvider(database.prisma, order.id);
    expect(await orderStatus(order.id)).toBe("REFUNDED");
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "REFUND" } });
    expect(call.status).toBe("DONE");
    const r = wx.refunds.get(call.idempotencyNo)!;
    expect(r).toMatchObject({ transaction_id: wx.trades.get(reference)!.transaction_id, refund: order.payableFen, status: "PROCESSING", notify_url: "http://127.0.0.1:3100/api/payments/wechatpay/notify" });

    const done = wx.finishRefund(call.idempotencyNo);
    const attacker = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = wx.callback("REFUND.SUCCESS", "refund", { mchid: wx.mchid, out_refund_no: call.idempotencyNo, transaction_id: r.transaction_id, refund_status: "SUCCESS", amount: { refund: r.refund } }, { signWith: attacker.privateKey });
    expect((await deliver(forged)).status).toBe(400);
    for (let i = 0; i < 2; i++) expect((await deliver(done)).status).toBe(200);
    const confirmed = await database.prisma.auditLog.findMany({ where: { action: "payment.refund_confirmed", target: `order:${order.orderNo}` } });
    expect(confirmed).toHaveLength(1);
    // Asking again with the same refund number never refunds twice.
    await performDueProviderCalls(database.prisma, new Date(Date.now() + 3_600_000));
    expect([...wx.refunds.values()].filter((x) => x.transaction_id === r.transaction_id)).toHaveLength(1);
  });
});

describe("the payment deadline at WeChat Pay", () => {
  it("the prepay order expires 2 minutes before the order's payment deadline: WeChat takes no money a callback could bring after our cancel", async () => {
    const db = database.prisma;
    const placed = new Date("2026-12-20T02:00:00.700Z"); // 10:00:00.700 in Beijing
    const order = await inTx(db, { config, now: placed }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
    // Exactly 3 minutes before the 30-minute deadline (SPEC §1): still payable.
    const { reference } = await startPayment(db, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: new Date(placed.getTime() + 27 * 60_000) });
    // Our deadline 10:30:00.700 less 2 minutes, cut to the second.
    expect(wx.trades.get(reference)!.time_expire).toBe("2026-12-20T10:28:00+08:00");
    const deadline = new Date(placed.getTime() + 30 * 60_000);
    // The shopper confirms 2 seconds before our deadline: WeChat has closed the trade, nothing is paid or refunded.
    wx.clock = () => new Date(deadline.getTime() - 2_000);
    try {
      const params = (await db.paymentIntent.findUniqueOrThrow({ where: { reference } })).cashierParams as Record<string, string>;
      expect(await wx.shopperPays(params)).toEqual({ err_msg: "get_brand_wcpay_request:fail" });
      expect(wx.trades.get(reference)!.trade_state).toBe("CLOSED");
      expect(await inTx(db, { config, now: deadline }, (ctx) => cancelUnpaidOrder(ctx, order.id, "timeout"))).toBe(true);
      expect((await db.paymentIntent.findUniqueOrThrow({ where: { reference } })).status).toBe("CREATED");
      expect(await db.providerCall.count({ where: { orderId: order.id, kind: "REFUND" } })).toBe(0);
    } finally {
      wx.clock = () => new Date();
    }
  });

  it("with less than 3 minutes left to pay, no WeChat trade is started: the shopper is told to order again", async () => {
    const db = database.prisma;
    const placed = new Date("2026-12-21T02:00:00.000Z");
    const order = await inTx(db, { config, now: placed }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
    const trades = wx.trades.size;
    // 2:59 before the 30-minute deadline (SPEC §1): WeChat's expiry would be 59 seconds away, which it might refuse.
    const started = startPayment(db, { orderId: order.id, memberId, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100", now: new Date(placed.getTime() + 27 * 60_000 + 1_000) });
    await expect(started).rejects.toMatchObject({ code: "PAYMENT_EXPIRED", message: "支付时间即将截止，请重新下单" });
    expect(wx.trades.size).toBe(trades);
    expect(await db.paymentIntent.count({ where: { orderId: order.id } })).toBe(0);
  });
});

describe("WeChat Pay H5 outside WeChat", () => {
  it("sends a browser shopper to WeChat's H5 page with the client IP and our result page as return", async () => {
    vi.stubEnv("PAYMENT_PROVIDER", "wechatpay");
    try {
      const order = await newOrder();
      const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId, client: { userAgent: SAFARI_UA, ip: "203.0.113.7" }, baseUrl: "http://127.0.0.1:3100" });
      expect(cashierUrl).toMatch(/^https:\/\/wx\.tenpay\.com\/cgi-bin\/mmpayweb-bin\/checkmweb\?prepay_id=/);
      expect(new URL(cashierUrl).searchParams.get("redirect_url")).toBe(`http://127.0.0.1:3100/orders/${order.id}/result`);
      expect(wx.trades.get(reference)!.openid).toBeUndefined();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("a WeChat browser without a bound openid pays through the merchant's provider (JSAPI needs the openid)", async () => {
    const db = database.prisma;
    const bob = await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "bob" }));
    const order = await inTx(db, { config }, (ctx) => createOrder(ctx, { memberId: bob.id, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
    const tradesBefore = wx.trades.size;
    const { reference, cashierUrl } = await startPayment(db, { orderId: order.id, memberId: bob.id, client: { userAgent: WECHAT_UA }, baseUrl: "http://127.0.0.1:3100" });
    expect(cashierUrl).toBe(`/pay/sandbox/${encodeURIComponent(reference)}`);
    expect((await db.paymentIntent.findUniqueOrThrow({ where: { reference } })).provider).toBe("sandbox");
    expect(wx.trades.size).toBe(tradesBefore);
  });
});

describe("withdrawals to WeChat 零钱 (商家转账)", () => {
  async function approvedWithdrawal(username: string, realName: string, openid: string | null) {
    const db = database.prisma;
    const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
    await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName, idNumber: nextTestIdNumber() }));
    await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", 500_000));
    if (openid) await db.externalAccount.create({ data: { memberId: m.id, platform: "wechat", appId: wx.appid, subject: openid, createdAt: new Date() } });
    const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, 100_000));
    return { memberId: m.id, w };
  }

  it("transfers to the member's openid with the name encrypted for WeChat, polls until WeChat finishes, pays once", async () => {
    const db = database.prisma;
    const { memberId: earner, w } = await approvedWithdrawal("earner", "张三丰", "oEarner0000000000000000001");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    const batch = wx.batches.get(`WD${w.id}`.padStart(5, "0"))!;
    expect(batch).toMatchObject({ openid: "oEarner0000000000000000001", total_amount: 100_000, user_name: "张三丰" });
    // Still processing at WeChat: asked again later, nothing moves.
    expect(await performDueProviderCalls(db, new Date(t0.getTime() + 3 * 60_000))).toBe(0);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAYING");
    wx.finishTransfer(batch.out_batch_no, "SUCCESS");
    expect(await performDueProviderCalls(db, new Date(t0.getTime() + 6 * 60_000))).toBe(1);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
    expect(await walletOf({ tx: db }, earner)).toMatchObject({ withdrawing: 0, withdrawn: 100_000 });
    expect(wx.batches.size).toBe(1);
  });

  it("a transfer WeChat fails returns the money to available; a member without WeChat is refused without asking WeChat", async () => {
    const db = database.prisma;
    const { memberId: m1, w: w1 } = await approvedWithdrawal("failing", "李四", "oFailing000000000000000001");
    const t0 = new Date();
    expect(await executePayout(db, w1.id, "wechatpay", t0)).toBe("PAYING");
    wx.finishTransfer(`WD${w1.id}`.padStart(5, "0"), "FAIL", "ACCOUNT_NOT_VERIFIED");
    await performDueProviderCalls(db, new Date(t0.getTime() + 3 * 60_000));
    const failed = await db.withdrawal.findUniqueOrThrow({ where: { id: w1.id } });
    expect(failed).toMatchObject({ status: "FAILED" });
    expect(failed.failReason).toContain("ACCOUNT_NOT_VERIFIED");
    expect(await walletOf({ tx: db }, m1)).toMatchObject({ available: 500_000, withdrawing: 0 });

    const before = wx.batches.size;
    const { w: w2 } = await approvedWithdrawal("nowechat", "王五", null);
    expect(await executePayout(db, w2.id, "wechatpay", t0)).toBe("FAILED");
    expect(wx.batches.size).toBe(before);
  });
});

describe("WeChat Pay with a platform certificate (平台证书 mode)", () => {
  it("verifies answers and callbacks against the certificate named by its serial", async () => {
    const certServer = await new WechatPayTestServer({ certificate: true }).start();
    try {
      const provider = new WechatPayProvider(certServer.config());
      const created = await provider.createPayment({
        reference: "CERT-ORDER-1", amountFen: 500, currency: "CNY", description: "x", notifyUrl: "http://127.0.0.1:3100/n", returnUrl: "http://127.0.0.1:3100/r",
        payer: { channel: "h5", clientIp: "203.0.113.8" }, expiresAt: new Date(Date.now() + 30 * 60_000),
      });
      expect(created.cashierUrl).toContain("prepay_id=");
      const cb = certServer.pay("CERT-ORDER-1");
      expect(provider.verifyNotification(cb.body, new Headers(cb.headers), new Date())).toMatchObject({ reference: "CERT-ORDER-1", amountFen: 500, status: "SUCCESS" });
      // An answer signed by another platform key is refused by the SDK before we see it.
      const other = new WechatPayProvider({ ...certServer.config(), platformKey: wx.platformKeyPem });
      await expect(other.queryPayment("CERT-ORDER-1")).rejects.toThrow();
    } finally {
      await certServer.stop();
    }
  });
});
