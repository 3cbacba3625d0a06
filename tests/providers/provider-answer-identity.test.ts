// A payout or refund number is ours only as far as the provider's answer matches what we asked: WeChat keeps
// out_bill_no / out_refund_no unique per merchant account, so a staging deployment, a reset database or an older
// system on the same account may hold a transfer or refund under "WD<id>" / "RF<orderId>". Against the local WeChat
// Pay and Alipay protocol servers (real signatures both ways): such an answer is refused, the withdrawal is not paid,
// nobody else's transfer is cancelled, the refund is not confirmed; a verified WeChat event of a kind we do not handle
// is acknowledged and changes nothing.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder } from "../../server/orders";
import { handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider, registerProvider, startPayment } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { FOREIGN_PAYOUT, FOREIGN_REFUND, WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { freshDatabase } from "../helpers/db";
import { teaShopWithAlice } from "../helpers/shop";
import { AlipayTestServer } from "../helpers/alipay-server";
import { WechatPayTestServer, type SignedCallback } from "../helpers/wechatpay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { POST } = await import("../../app/api/payments/[provider]/notify/route");

const BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) Mobile";
const config = parseConfig({});
const PRICE = 10_005; // 100.05 元
let database: Database;
let wx: WechatPayTestServer;
let ali: AlipayTestServer;
let aliceId: number;

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
  ali = await new AlipayTestServer().start();
  registerProvider(new WechatPayProvider(wx.config()));
  registerProvider(new AlipayProvider(ali.config()));
  database = await freshDatabase();
  holder.db = database.prisma;
  aliceId = await teaShopWithAlice(database.prisma, config, PRICE);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await wx.stop();
  await ali.stop();
  await database.close();
});

/** Another system on the same merchant account (staging, an old database): its own adapter, the same keys. */
const otherWechatSystem = (batches = false) => new WechatPayProvider({ ...wx.config(), ...(batches ? { transferApi: "batches" as const } : {}) });
const OTHER_OPENID = `o${"someoneelse".padEnd(27, "0")}`;
const OTHER_ALIPAY_USER = "2088000000000777";

/** A verified member with 5 000 元 available and an account at `platform`, asking for 1 000 元 (approved, not yet paid). */
async function approvedWithdrawal(username: string, platform: "wechat" | "alipay") {
  const db = database.prisma;
  const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", 500_000));
  const account = platform === "wechat" ? `o${username.padEnd(27, "0")}` : "2088102177846880";
  await db.externalAccount.create({ data: { memberId: m.id, platform, appId: platform === "wechat" ? wx.appid : ali.appId, subject: account, createdAt: new Date() } });
  const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, 100_000));
  expect(w.status).toBe("APPROVED");
  return { memberId: m.id, w, account, payoutNo: `WD${w.id}` };
}

const withdrawal = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const payoutCall = (withdrawalId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { withdrawalId } });

describe("a payout number another system used at the provider", () => {
  it("WeChat transfer bill: the reviewer's case — a SUCCESS bill under WD<id> for another openid is not our payment; the withdrawal stays PAYING for staff", async () => {
    const db = database.prisma;
    const { memberId, w, account, payoutNo } = await approvedWithdrawal("wxpaid", "wechat");
    const billNo = payoutNo.padStart(5, "0");
    // The other system paid 1 000 元 to someone else under the same number, and that bill succeeded.
    await otherWechatSystem().payout({ payoutNo, amountFen: 100_000, realName: "李四", payeeAccount: OTHER_OPENID });
    wx.setBillState(billNo, "SUCCESS");
    const sent = wx.billRequests.length;

    await expect(new WechatPayProvider(wx.config()).payout({ payoutNo, amountFen: 100_000, realName: "张三丰", payeeAccount: account })).rejects.toThrow(FOREIGN_PAYOUT);
    expect(await executePayout(db, w.id, "wechatpay", new Date())).toBe("PAYING");
    expect((await withdrawal(w.id)).status).toBe("PAYING");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ withdrawing: 100_000, withdrawn: 0 });
    // Staff read why: a failure of the call (retried, then dead-lettered), not a payment.
    const call = await payoutCall(w.id);
    expect(call).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(call.lastError).toContain(FOREIGN_PAYOUT);
    // Nothing was sent under the taken number.
    expect(wx.billRequests.length).toBe(sent);
  });

  it("WeChat transfer bill: the same openid at another amount is not ours either", async () => {
    const { payoutNo, account } = await approvedWithdrawal("wxamount", "wechat");
    await otherWechatSystem().payout({ payoutNo, amountFen: 10_000, realName: "张三丰", payeeAccount: account });
    wx.setBillState(payoutNo.padStart(5, "0"), "SUCCESS");
    await expect(new WechatPayProvider(wx.config()).payout({ payoutNo, amountFen: 100_000, realName: "张三丰", payeeAccount: account })).rejects.toThrow(FOREIGN_PAYOUT);
    // Unbound since: the amount alone still tells it is not ours.
    await expect(new WechatPayProvider(wx.config()).payout({ payoutNo, amountFen: 100_000, realName: "张三丰", payeeAccount: null })).rejects.toThrow(FOREIGN_PAYOUT);
  });

  it("WeChat transfer bill: someone else's bill waiting for its payee is never cancelled as our lost confirmation", async () => {
    const db = database.prisma;
    const { w, payoutNo } = await approvedWithdrawal("wxwaiting", "wechat");
    const billNo = payoutNo.padStart(5, "0");
    await otherWechatSystem().payout({ payoutNo, amountFen: 100_000, realName: "李四", payeeAccount: OTHER_OPENID });
    expect(wx.transferBills.get(billNo)?.state).toBe("WAIT_USER_CONFIRM");

    expect(await executePayout(db, w.id, "wechatpay", new Date())).toBe("PAYING");
    expect(await performDueProviderCalls(db, new Date(Date.now() + 3_600_000))).toBe(0);
    expect(wx.cancelRequests).not.toContain(billNo);
    expect(wx.transferBills.get(billNo)?.state).toBe("WAIT_USER_CONFIRM");
    expect((await withdrawal(w.id)).status).toBe("PAYING");
    expect((await payoutCall(w.id)).lastError).toContain(FOREIGN_PAYOUT);
  });

  it("WeChat transfer batch: a finished batch under our number paying another openid is refused", async () => {
    const payoutNo = "WD900001";
    await otherWechatSystem(true).payout({ payoutNo, amountFen: 100_000, realName: "李四", payeeAccount: OTHER_OPENID });
    wx.finishTransfer(payoutNo);
    const ours = otherWechatSystem(true);
    await expect(ours.payout({ payoutNo, amountFen: 100_000, realName: "张三丰", payeeAccount: `o${"batchpayee".padEnd(27, "0")}` })).rejects.toThrow(FOREIGN_PAYOUT);
    // The same batch asked for what it pays is answered as before.
    expect(await ours.payout({ payoutNo, amountFen: 100_000, realName: "李四", payeeAccount: OTHER_OPENID })).toEqual({ status: "SUCCESS" });
  });

  it("Alipay: a successful transfer under WD<id> of another amount to another account is not our payment", async () => {
    const db = database.prisma;
    const { memberId, w, payoutNo } = await approvedWithdrawal("alipaid", "alipay");
    await new AlipayProvider(ali.config()).payout({ payoutNo, amountFen: 50_000, realName: "", payeeAccount: OTHER_ALIPAY_USER });
    ali.completeTransfer(payoutNo);

    expect(await executePayout(db, w.id, "alipay", new Date())).toBe("PAYING");
    expect((await withdrawal(w.id)).status).toBe("PAYING");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ withdrawing: 100_000, withdrawn: 0 });
    expect((await payoutCall(w.id)).lastError).toContain(FOREIGN_PAYOUT);
    expect(ali.transfers.get(payoutNo)).toMatchObject({ identity: OTHER_ALIPAY_USER, amount: "500.00" });
  });
});

const plus = (t: Date, minutes: number) => new Date(t.getTime() + minutes * 60_000);

/** An order of one tea paid through WeChat Pay (its callback taken); returns it with its transaction id. */
async function paidByWechat(when: Date) {
  const db = database.prisma;
  const order = await inTx(db, { config, now: when }, (ctx) => createOrder(ctx, { memberId: aliceId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
  const { reference } = await startPayment(db, { orderId: order.id, memberId: aliceId, provider: "wechatpay", client: { userAgent: BROWSER_UA, ip: "203.0.113.9" }, baseUrl: "http://127.0.0.1:3100", now: when });
  // WeChat's clock at the payment: the trade is open until its time_expire.
  wx.clock = () => plus(when, 1);
  const cb = wx.pay(reference);
  wx.clock = () => new Date();
  expect((await handlePaymentNotification(db, "wechatpay", cb.body, new Headers(cb.headers), plus(when, 1))).outcome).toBe("paid");
  return { order, transactionId: wx.trades.get(reference)!.transaction_id! };
}

/** A refund WeChat holds under `refundNo`, made by another system (its transaction and amounts). */
function foreignRefund(refundNo: string, transactionId: string, refund: number, total: number) {
  wx.refunds.set(refundNo, {
    out_refund_no: refundNo, transaction_id: transactionId, refund, total, notify_url: "http://staging.invalid/notify", refund_id: `50309${refundNo}`, status: "SUCCESS",
    success_time: new Date(), create_time: new Date(),
  });
}

async function confirmations(refundNo: string) {
  return database.prisma.auditLog.count({ where: { action: "payment.refund_confirmed", data: { path: ["refundNo"], equals: refundNo } } });
}

describe("a refund number another system used at WeChat Pay", () => {
  it("the refund answer for another transaction, or for part of ours, is refused: the refund stays unconfirmed", async () => {
    const db = database.prisma;
    for (const [i, foreign] of [
      ["other transaction", (txn: string) => ({ transactionId: `${txn}9`, refund: PRICE, total: PRICE })],
      ["part of ours", (txn: string) => ({ transactionId: txn, refund: 5_000, total: PRICE })],
    ] as const) {
      const t0 = new Date();
      const { order, transactionId } = await paidByWechat(t0);
      const refundNo = `RF${order.id}`;
      const f = foreign(transactionId);
      foreignRefund(refundNo, f.transactionId, f.refund, f.total);
      await refundOrderThroughProvider(db, order.id, plus(t0, 2));
      const call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "REFUND" } });
      expect(call.status, i).toBe("PENDING");
      expect(call.lastError, i).toContain(FOREIGN_REFUND);
      expect(call.refundOutcome, i).toBeNull();
      expect(await confirmations(refundNo), i).toBe(0);
    }
  });

  it("the refund query and the refund callback for another transaction or another total are not confirmations", async () => {
    const db = database.prisma;
    const t0 = new Date(Date.now() - 3_600_000);
    const { order, transactionId } = await paidByWechat(t0);
    await refundOrderThroughProvider(db, order.id, plus(t0, 2));
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "REFUND" } });
    // Accepted as PROCESSING: open, to be confirmed by its callback or our query.
    expect(call.refundOpenSince).not.toBeNull();

    // WeChat now answers the number with another system's refund (its records were mixed up with ours).
    foreignRefund(call.idempotencyNo, `${transactionId}9`, PRICE, PRICE);
    const query = new WechatPayProvider(wx.config()).queryRefund({ refundNo: call.idempotencyNo, providerTxnId: transactionId });
    await expect(query).rejects.toThrow(FOREIGN_REFUND);
    expect(await reconcileOpenRefunds(db, plus(t0, 20))).toBe(0);
    expect(wx.refundQueries).toContain(call.idempotencyNo);
    expect((await db.providerCall.findUniqueOrThrow({ where: { id: call.id } })).refundOpenSince).not.toBeNull();

    const resource = (transaction_id: string, total: number) => ({
      mchid: wx.mchid, out_refund_no: call.idempotencyNo, transaction_id, refund_id: "503099", refund_status: "SUCCESS", success_time: "2026-12-06T10:00:00+08:00",
      amount: { refund: PRICE, total, payer_refund: PRICE, payer_total: total },
    });
    const otherTxn = wx.callback("REFUND.SUCCESS", "refund", resource(`${transactionId}9`, PRICE));
    expect(await handlePaymentNotification(db, "wechatpay", otherTxn.body, new Headers(otherTxn.headers), plus(t0, 21))).toEqual({ outcome: "refused", reason: "refund of another transaction" });
    const otherTotal = wx.callback("REFUND.SUCCESS", "refund", resource(transactionId, PRICE * 2));
    expect(await handlePaymentNotification(db, "wechatpay", otherTotal.body, new Headers(otherTotal.headers), plus(t0, 21))).toEqual({ outcome: "refused", reason: "refund amount mismatch" });

    const after = await db.providerCall.findUniqueOrThrow({ where: { id: call.id } });
    expect(after.refundOpenSince).not.toBeNull();
    expect(after.refundOutcome).toBeNull();
    expect(await confirmations(call.idempotencyNo)).toBe(0);
    // Ours, answered as ours, still confirms it.
    const ours = wx.callback("REFUND.SUCCESS", "refund", resource(transactionId, PRICE));
    expect(await handlePaymentNotification(db, "wechatpay", ours.body, new Headers(ours.headers), plus(t0, 22))).toEqual({ outcome: "paid" });
    expect(await confirmations(call.idempotencyNo)).toBe(1);
  });
});

describe("a WeChat Pay event of a kind we do not handle", () => {
  function deliver(cb: SignedCallback) {
    const req = new Request("http://127.0.0.1:3100/api/payments/wechatpay/notify", { method: "POST", body: cb.body, headers: cb.headers });
    return POST(req, { params: Promise.resolve({ provider: "wechatpay" }) });
  }

  it("verified: acknowledged (2xx, so WeChat stops resending it) and nothing changes; unverified: still 400", async () => {
    const db = database.prisma;
    const before = { audit: await db.auditLog.count(), calls: await db.providerCall.count(), orders: await db.order.count(), notices: await db.notification.count() };
    const resource = { mchid: wx.mchid, out_order_no: "P20261206", transaction_id: "4200000000", state: "FINISHED" };
    const verified = wx.callback("PROFITSHARING.FINISHED", "profitsharing", resource);
    expect(await handlePaymentNotification(db, "wechatpay", verified.body, new Headers(verified.headers))).toEqual({ outcome: "refused", reason: "unsupported wechatpay event PROFITSHARING.FINISHED" });
    const res = await deliver(wx.callback("PROFITSHARING.FINISHED", "profitsharing", resource));
    expect(res.status).toBe(200);
    expect(await db.auditLog.count()).toBe(before.audit);
    expect(await db.providerCall.count()).toBe(before.calls);
    expect(await db.order.count()).toBe(before.orders);
    expect(await db.notification.count()).toBe(before.notices);

    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const forged = await deliver(wx.callback("PROFITSHARING.FINISHED", "profitsharing", resource, { signWith: privateKey }));
    expect(forged.status).toBe(400);
  });
});
