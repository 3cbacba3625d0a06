// Withdrawals to WeChat 零钱 through the upgraded 商家转账 (transfer bills, the only product merchants opened
// since 2025-01-15 get), against the local WeChat Pay server (real signatures both ways, user_name decrypted
// with the platform key): the bill waits for the shopper to confirm receipt in WeChat, the package is kept for
// the wallet's 确认收款, the scheduler asks until the bill ends (at once when WeChat's MCHTRANSFER.BILL.FINISHED
// callback reaches our notify route), a cancelled bill returns the money, and a bill whose package was lost with
// the create answer is withdrawn (撤销转账).
import { PAYOUT_FAILURE_LABEL, payoutFailure, withdrawalView } from "../../server/wallet/view";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { PAYOUT_POLL_MS, performDueProviderCalls } from "../../server/payments/calls";
import { WechatPayProvider, payoutNoOfBill, transferBatchNo, wechatPayConfigFromEnv } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal, retryFailedPayoutNow } from "../../server/wallet/withdrawals";
import { withdrawalExportPage, withdrawalQueue } from "../../server/wallet/review";
import { productionEnvProblems, type Env } from "../../server/env";
import { freshDatabase, usingPostgres } from "../helpers/db";
import { queued } from "../helpers/races";
import { callerFor } from "../helpers/caller";
import { WechatPayTestServer, type SignedCallback } from "../helpers/wechatpay-server";
import { confirmReceipt } from "../../app/wallet/confirm-receipt";
import { nextTestIdNumber } from "../helpers/id-numbers";

const holder = vi.hoisted(() => ({ db: null as unknown }));
vi.mock("@/server/db", async (importOriginal) => ({ ...(await importOriginal<object>()), getDb: async () => holder.db }));
const { POST } = await import("../../app/api/payments/[provider]/notify/route");

const WECHAT_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

const config = parseConfig({});
let database: Database;
let wx: WechatPayTestServer;
let staffId: number;

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
  // wx.config() names no transfer API: the default.
  registerProvider(new WechatPayProvider(wx.config()));
  database = await freshDatabase();
  holder.db = database.prisma;
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "F", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterAll(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await wx.stop();
  await database.close();
});

/** A verified member with 5 000 元 available and a WeChat openid, asking for 1 000 元 (auto-approved). */
async function approvedWithdrawal(username: string, realName: string) {
  const db = database.prisma;
  const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName, idNumber: nextTestIdNumber() }));
  await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", 500_000));
  const openid = `o${username.padEnd(27, "0")}`;
  await db.externalAccount.create({ data: { memberId: m.id, platform: "wechat", appId: wx.appid, subject: openid, createdAt: new Date() } });
  const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, 100_000));
  expect(w.status).toBe("APPROVED");
  return { memberId: m.id, w, openid, billNo: `WD${w.id}`.padStart(5, "0") };
}

/** A withdrawal whose bill WeChat made while its answer, with the package, was lost: the bill waits unknown to us. */
async function billOfLostAnswer(username: string, realName: string) {
  const a = await approvedWithdrawal(username, realName);
  await new WechatPayProvider(wx.config()).payout({ payoutNo: `WD${a.w.id}`, amountFen: 100_000, realName, payeeAccount: a.openid });
  return a;
}

/** Runs `run`, then puts the stand-in's staged behaviour back however it ended: the next step meets a plain WeChat. */
async function thenPlain<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } finally {
    wx.beforeCancel = undefined;
    wx.loseAnswer = undefined;
    wx.acceptReentry = false;
  }
}

const withdrawal = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

/** WeChat posting a callback to our notify route, as the route handler takes it. */
function deliver(cb: SignedCallback) {
  const req = new Request("http://127.0.0.1:3100/api/payments/wechatpay/notify", { method: "POST", body: cb.body, headers: cb.headers });
  return POST(req, { params: Promise.resolve({ provider: "wechatpay" }) });
}

const payoutCall = (withdrawalId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { withdrawalId } });

async function expectLedgerBalanced() {
  const unbalanced = await database.prisma.$queryRaw<{ txnId: number }[]>`SELECT "txnId" FROM "LedgerEntry" GROUP BY "txnId" HAVING SUM("amountFen") <> 0`;
  expect(unbalanced).toEqual([]);
}

describe("withdrawals through 商家转账 transfer bills (the default)", () => {
  it("sends one bill with the scene's 报备信息 and the encrypted name, keeps the package while the shopper has not confirmed, pays once they do", async () => {
    const db = database.prisma;
    const { memberId, w, openid, billNo } = await approvedWithdrawal("confirmer", "张三丰");
    const batchesBefore = wx.batches.size;
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");

    const bill = wx.transferBills.get(billNo)!;
    expect(bill).toMatchObject({
      openid, transfer_amount: 100_000, transfer_remark: "提现", user_name: "张三丰", transfer_scene_id: "1000", user_recv_perception: "活动奖励",
      report_infos: { 活动名称: "推广返现与佣金", 奖励说明: "推广奖励提现到零钱" }, state: "WAIT_USER_CONFIRM",
      notify_url: "http://127.0.0.1:3100/api/payments/wechatpay/notify",
    });
    expect(wx.batches.size).toBe(batchesBefore);
    const waiting = await withdrawal(w.id);
    expect(waiting.status).toBe("PAYING");
    expect(waiting.confirmParams).toEqual({ mchId: wx.mchid, appId: wx.appid, package: bill.package_info });
    expect(waiting.confirmIssuedAt).toEqual(t0);
    // Finance staff see why it stays PAYING.
    expect((await db.providerCall.findFirstOrThrow({ where: { withdrawalId: w.id } })).lastError).toBe("等待收款人在微信中确认收款");

    // The shopper's own wallet offers 确认收款 with what wx.requestMerchantTransfer needs.
    const summary = await callerFor(db, memberId).wallet.summary();
    expect(summary.withdrawals[0]).toMatchObject({ id: w.id, status: "PAYING", confirm: { mchId: wx.mchid, appId: wx.appid, package: bill.package_info, issuedAt: t0 } });

    // The scheduler asks again; WeChat's query carries no package, so the one issued stays.
    expect(await performDueProviderCalls(db, minutes(t0, PAYOUT_POLL_MS / 60_000 + 1))).toBe(0);
    const still = await withdrawal(w.id);
    expect(still).toMatchObject({ status: "PAYING", confirmParams: { package: bill.package_info }, confirmIssuedAt: t0 });
    // The shopper holds the package and can still confirm: the bill is not withdrawn.
    expect(wx.cancelRequests).not.toContain(billNo);
    expect(bill.state).toBe("WAIT_USER_CONFIRM");
    // Finance's queue and export show the withdrawal without the shopper's package.
    const queued = (await withdrawalQueue(db, {})).items.find((r) => r.id === w.id)!;
    expect(queued.status).toBe("PAYING");
    expect(queued).not.toHaveProperty("confirmParams");
    expect((await withdrawalExportPage(db, {}, "Asia/Shanghai", null, 10)).find((r) => r.id === w.id)).not.toHaveProperty("confirmParams");

    // The shopper taps 确认收款 in WeChat with what the wallet shows; WeChat accepts it, the next query finds SUCCESS.
    const bridge = { invoke: (name: string, p: Record<string, string>, cb: (res: { err_msg: string }) => void) => cb(name === "requestMerchantTransfer" ? wx.payeeConfirms(p) : { err_msg: `${name}:fail` }) };
    const sdk = { config() {}, ready: (fn: () => void) => fn(), error() {}, updateAppMessageShareData() {}, updateTimelineShareData() {} };
    expect(await confirmReceipt(summary.withdrawals[0]!.confirm!, { userAgent: WECHAT_UA, wx: async () => sdk, bridge: () => bridge })).toBe("ok");
    expect(await performDueProviderCalls(db, minutes(t0, 2 * (PAYOUT_POLL_MS / 60_000) + 2))).toBe(1);
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAID", confirmParams: null, confirmIssuedAt: null });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    expect((await callerFor(db, memberId).wallet.summary()).withdrawals[0]!.confirm).toBeNull();
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it("a payout asked again after its answer was lost sends no second transfer; without the package the bill is withdrawn, and the money returns once WeChat has cancelled it", async () => {
    const db = database.prisma;
    const { memberId, w, billNo, openid } = await approvedWithdrawal("lostanswer", "李四");
    // The first request reached WeChat, its answer never reached us (the provider call is still PENDING).
    await new WechatPayProvider(wx.config()).payout({ payoutNo: `WD${w.id}`, amountFen: 100_000, realName: "李四", payeeAccount: openid });
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(1);

    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    // Asked again under its own number for the package (原单重试), which this WeChat refuses: still the one bill.
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(2);
    expect([...wx.transferBills.keys()].filter((n) => n === billNo)).toHaveLength(1);
    expect(wx.rejected).toEqual([]);
    // Waiting for the shopper, who can never confirm without the package: withdrawn at WeChat (撤销转账), once.
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect(wx.transferBills.get(billNo)!.state).toBe("CANCELING");
    // CANCELING is not the end (WeChat: the query's final state is): nothing released yet.
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING", confirmParams: null });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000 });
    expect((await payoutCall(w.id)).lastError).toBe("转账确认信息丢失，撤销中");

    // The next query finds it CANCELLED: the money returns, and the shopper is told why.
    expect(await performDueProviderCalls(db, minutes(t0, 3))).toBe(1);
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", failReason: "转账确认信息丢失，已撤销，请重新申请提现", confirmParams: null });
    expect(PAYOUT_FAILURE_LABEL[payoutFailure(failed.failReason)]).toBe("转账确认信息已失效，款项已退回可提现余额，请重新申请提现");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect((await payoutCall(w.id)).status).toBe("DONE");
    await expectLedgerBalanced();
  });

  it("a lost answer's package comes back when WeChat answers the same bill asked again (原单重试): nothing is withdrawn", async () => {
    const db = database.prisma;
    const { w, billNo } = await billOfLostAnswer("reentry", "吴八");
    wx.acceptReentry = true;
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay"))).toBe("PAYING");
    expect(wx.cancelRequests).not.toContain(billNo);
    expect((await withdrawal(w.id)).confirmParams).toEqual({ mchId: wx.mchid, appId: wx.appid, package: wx.transferBills.get(billNo)!.package_info });
    // Holding the package now, the next poll only asks (no third request under the number).
    await performDueProviderCalls(db, minutes(new Date(), 3));
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(2);
    expect((await withdrawal(w.id)).status).toBe("PAYING");
  });

  it("a lost answer's bill that no longer waits for the shopper is not withdrawn; a cancel WeChat fails while the bill still waits is asked again", async () => {
    const db = database.prisma;
    const moving = await billOfLostAnswer("lostmoving", "刘六");
    // Confirmed in WeChat meanwhile (the shopper still had the page open): the money is on its way, nothing to withdraw.
    wx.setBillState(moving.billNo, "TRANSFERING");
    expect(await executePayout(db, moving.w.id, "wechatpay")).toBe("PAYING");
    expect(wx.cancelRequests).not.toContain(moving.billNo);

    const { memberId, w, billNo } = await billOfLostAnswer("lostbusy", "何七");
    wx.beforeCancel = () => {
      throw new Error("SYSTEM_ERROR");
    };
    const t0 = new Date();
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay", t0))).toBe("PAYING");
    expect(wx.transferBills.get(billNo)!.state).toBe("WAIT_USER_CONFIRM");
    expect(await payoutCall(w.id)).toMatchObject({ status: "PENDING", attempts: 1 });
    expect((await payoutCall(w.id)).lastError).toContain("PARAM_ERROR");
    await performDueProviderCalls(db, minutes(t0, 60));
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(2);
    expect(wx.cancelRequests).not.toContain(moving.billNo);
    expect((await withdrawal(w.id)).status).toBe("PAYING");
    // WeChat has finished the cancel by the next poll.
    await performDueProviderCalls(db, minutes(t0, 63));
    expect(await withdrawal(w.id)).toMatchObject({ status: "FAILED", failReason: "转账确认信息丢失，已撤销，请重新申请提现" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0 });
    await expectLedgerBalanced();
  });

  it("a cancel WeChat accepted whose answer was lost (and the check of the bill's answer too) still tells the shopper the confirmation was lost; the money returns once, at CANCELLED", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await billOfLostAnswer("lostcancel", "孔九");
    // WeChat accepts our 撤销转账; from then on the connection drops every answer on this bill (the cancel's, then the query's).
    let down = false;
    wx.beforeCancel = (no) => {
      if (no === billNo) down = true;
    };
    wx.loseAnswer = (_method, path) => down && path.includes(`/out-bill-no/${billNo}`);
    const t0 = new Date();
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay", t0))).toBe("PAYING");
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    // WeChat went on with the cancel; we heard nothing, so nothing is released yet and the call is asked again.
    expect(wx.transferBills.get(billNo)!.state).toBe("CANCELLED");
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000 });
    const asked = await payoutCall(w.id);
    expect(asked).toMatchObject({ status: "PENDING", attempts: 1 });
    // Finance still sees that we asked to withdraw it, and why the last attempt failed.
    expect(asked.lastError).toMatch(/^转账确认信息丢失，撤销中/);
    expect(asked.lastError).toContain("ECONNRESET");

    // The next query finds CANCELLED: the money returns, worded as the confirmation we lost, not as 24 hours unconfirmed.
    expect(await performDueProviderCalls(db, minutes(t0, 3))).toBe(1);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", failReason: "转账确认信息丢失，已撤销，请重新申请提现" });
    expect(withdrawalView(failed)).toMatchObject({ failure: "lostConfirmation", reason: "转账确认信息已失效，款项已退回可提现余额，请重新申请提现" });
    expect((await callerFor(db, memberId).wallet.summary()).withdrawals[0]).toMatchObject({ id: w.id, failure: "lostConfirmation" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(await payoutCall(w.id)).toMatchObject({ status: "DONE", lastError: null });

    // WeChat's callback and a later sweep change nothing: returned exactly once.
    const entries = await db.ledgerEntry.count();
    expect((await deliver(wx.billFinished(billNo))).status).toBe(200);
    await performDueProviderCalls(db, minutes(t0, 10));
    expect(await db.ledgerEntry.count()).toBe(entries);
    expect(await db.auditLog.count({ where: { action: "withdrawal.failed", target: `withdrawal:${w.id}` } })).toBe(1);
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it.runIf(usingPostgres())("the reason to withdraw is committed before the cancel leaves: had we crashed while WeChat acted on it, the database would still say why", async () => {
    const db = database.prisma;
    const { w, billNo } = await billOfLostAnswer("cancelcommit", "曹十一");
    // What another connection reads when the cancel reaches WeChat (its answer waits, our attempt's transaction still open).
    let seen: { lastError: string | null } | undefined;
    wx.beforeCancel = async (no) => {
      if (no === billNo) seen = await db.providerCall.findFirstOrThrow({ where: { withdrawalId: w.id }, select: { lastError: true } });
    };
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay"))).toBe("PAYING");
    expect(seen).toEqual({ lastError: "转账确认信息丢失，撤销中" });
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect((await payoutCall(w.id)).lastError).toBe("转账确认信息丢失，撤销中");
    // Finished at WeChat by the next poll, so no call of this test is left for the sweeps of the next ones.
    await performDueProviderCalls(db, minutes(new Date(), 3));
    expect(await withdrawal(w.id)).toMatchObject({ status: "FAILED", failReason: "转账确认信息丢失，已撤销，请重新申请提现" });
  });

  it("a cancel that did not take, followed by the package coming back (原单重试), is no cancel of ours: WeChat's own cancel 24 hours later says unconfirmed", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await billOfLostAnswer("cancelundone", "严十");
    // WeChat refuses our 撤销转账 while the bill still waits for the shopper.
    wx.beforeCancel = () => {
      throw new Error("SYSTEM_ERROR");
    };
    const t0 = new Date();
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay", t0))).toBe("PAYING");
    expect(wx.transferBills.get(billNo)!.state).toBe("WAIT_USER_CONFIRM");
    expect((await payoutCall(w.id)).lastError).toMatch(/^转账确认信息丢失，撤销中/);
    // Asked again, WeChat now answers the same bill with its package: the shopper can confirm, so nothing is withdrawn.
    wx.acceptReentry = true;
    await thenPlain(() => performDueProviderCalls(db, minutes(t0, 60)));
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect((await withdrawal(w.id)).confirmParams).toEqual({ mchId: wx.mchid, appId: wx.appid, package: wx.transferBills.get(billNo)!.package_info });
    expect((await payoutCall(w.id)).lastError).toBe("等待收款人在微信中确认收款");

    // The shopper never confirms; WeChat cancels the bill on its own after 24 hours.
    wx.setBillState(billNo, "CANCELLED");
    expect(await performDueProviderCalls(db, minutes(t0, 24 * 60 + 1))).toBe(1);
    const failed = await withdrawal(w.id);
    expect(failed.failReason).toContain("CANCELLED");
    expect(withdrawalView(failed)).toMatchObject({ failure: "unconfirmed", reason: "未在 24 小时内确认收款，款项已退回可提现余额" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    await expectLedgerBalanced();
  });

  it("a cancel WeChat refused because the shopper confirmed first is dropped from the call; the transfer then failing keeps WeChat's reason (not a lost confirmation), the money returns once", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await billOfLostAnswer("confirmedfirst", "钱十二");
    // Between our query and our cancel the shopper confirms (with the package our lost answer carried): WeChat refuses
    // the cancel, the bill is being transferred.
    wx.beforeCancel = (no) => {
      if (no === billNo) wx.setBillState(no, "TRANSFERING");
    };
    const t0 = new Date();
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay", t0))).toBe("PAYING");
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect(wx.transferBills.get(billNo)!.state).toBe("TRANSFERING");
    // Our cancel did not take: the call no longer says we are withdrawing the payout, only that WeChat is at it.
    expect(await payoutCall(w.id)).toMatchObject({ status: "PENDING", lastError: "支付渠道处理中" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000 });

    // WeChat then fails the transfer for its own reason: the name is not the payee's 实名.
    wx.setBillState(billNo, "FAIL", "NAME_NOT_CORRECT");
    expect(await performDueProviderCalls(db, minutes(t0, 3))).toBe(1);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", failReason: "微信转账失败 NAME_NOT_CORRECT" });
    expect(withdrawalView(failed)).toMatchObject({ failure: "identity", reason: "收款账户实名校验未通过，款项已退回可提现余额" });
    expect((await callerFor(db, memberId).wallet.summary()).withdrawals[0]).toMatchObject({ id: w.id, failure: "identity" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });

    // WeChat's callback and a later sweep change nothing: returned exactly once.
    const entries = await db.ledgerEntry.count();
    expect((await deliver(wx.billFinished(billNo))).status).toBe(200);
    await performDueProviderCalls(db, minutes(t0, 10));
    expect(await db.ledgerEntry.count()).toBe(entries);
    expect(await db.auditLog.count({ where: { action: "withdrawal.failed", target: `withdrawal:${w.id}` } })).toBe(1);
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it("a refused cancel whose refusal was lost keeps the cancel on record, yet the transfer failing for its own reason is told with WeChat's reason; only CANCELLED is told as ours", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await billOfLostAnswer("refusallost", "冯十三");
    // The shopper confirms just before our cancel arrives; WeChat refuses it, and from then on every answer on this
    // bill is lost (the refusal, then the query of the bill): we cannot tell whether our cancel took.
    let down = false;
    wx.beforeCancel = (no) => {
      if (no !== billNo) return;
      wx.setBillState(no, "TRANSFERING");
      down = true;
    };
    wx.loseAnswer = (_method, path) => down && path.includes(`/out-bill-no/${billNo}`);
    const t0 = new Date();
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay", t0))).toBe("PAYING");
    const asked = await payoutCall(w.id);
    expect(asked).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(asked.lastError).toMatch(/^转账确认信息丢失，撤销中/);

    // The transfer fails at WeChat (the payee's account is frozen); the next query sees FAIL, not CANCELLED.
    wx.setBillState(billNo, "FAIL", "ACCOUNT_FROZEN");
    expect(await performDueProviderCalls(db, minutes(t0, 3))).toBe(1);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", failReason: "微信转账失败 ACCOUNT_FROZEN" });
    expect(withdrawalView(failed)).toMatchObject({ failure: "account", reason: "收款账户异常，款项已退回可提现余额" });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(await payoutCall(w.id)).toMatchObject({ status: "DONE", lastError: null });
    expect(await db.auditLog.count({ where: { action: "withdrawal.failed", target: `withdrawal:${w.id}` } })).toBe(1);
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    await expectLedgerBalanced();
  });

  it("a withdrawal that races the shopper's confirmation is paid, not failed: WeChat refuses to cancel a bill already SUCCESS", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await billOfLostAnswer("racer", "郑一");
    // Between our query and our cancel, the money reaches the shopper.
    wx.beforeCancel = (no) => {
      if (no === billNo) wx.setBillState(no, "SUCCESS");
    };
    expect(await thenPlain(() => executePayout(db, w.id, "wechatpay"))).toBe("PAID");
    expect(wx.cancelRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect(wx.transferBills.get(billNo)!.state).toBe("SUCCESS");
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAID", failReason: null });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    await expectLedgerBalanced();
  });

  it("a bill WeChat cancels (24 hours unconfirmed) fails the payout and returns the money to available; a staff retry sends a new bill", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await approvedWithdrawal("neverconfirms", "王五");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    expect((await withdrawal(w.id)).confirmParams).not.toBeNull();
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000 });

    wx.setBillState(billNo, "CANCELLED");
    expect(await performDueProviderCalls(db, minutes(t0, 24 * 60 + 1))).toBe(1);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", confirmParams: null, confirmIssuedAt: null });
    expect(failed.failReason).toContain("CANCELLED");
    expect(PAYOUT_FAILURE_LABEL[payoutFailure(failed.failReason)]).toBe("未在 24 小时内确认收款，款项已退回可提现余额");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    await expectLedgerBalanced();

    // 重新打款 names attempt 2 "WD<id>-2": WeChat gets the letters-and-digits form of it, a bill of its own.
    const retried = await retryFailedPayoutNow(db, w.id, { staffId }, minutes(t0, 24 * 60 + 5), "wechatpay");
    expect(retried.status).toBe("PAYING");
    const second = wx.transferBills.get(`WD${w.id}R2`)!;
    expect(second).toMatchObject({ transfer_amount: 100_000, state: "WAIT_USER_CONFIRM" });
    expect((await withdrawal(w.id)).confirmParams).toEqual({ mchId: wx.mchid, appId: wx.appid, package: second.package_info });

    // The retry's bill "WD<id>R2" ends: its callback names the retry's payout "WD<id>-2", which is asked and paid.
    expect(wx.payeeConfirms({ mchId: wx.mchid, appId: wx.appid, package: second.package_info }).err_msg).toBe("requestMerchantTransfer:ok");
    expect((await deliver(wx.billFinished(`WD${w.id}R2`))).status).toBe(200);
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAID", payoutNo: `WD${w.id}-2` });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    await expectLedgerBalanced();
  });

  it("a bill WeChat fails carries its reason; no package is left behind", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await approvedWithdrawal("failing", "赵六");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    wx.setBillState(billNo, "FAIL", "ACCOUNT_FROZEN");
    await performDueProviderCalls(db, minutes(t0, 3));
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", confirmParams: null });
    expect(failed.failReason).toContain("ACCOUNT_FROZEN");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0 });
  });

  it("once the shopper confirmed and WeChat is transferring, the 确认收款 goes", async () => {
    const db = database.prisma;
    const { w, billNo } = await approvedWithdrawal("transfering", "钱七");
    const t0 = new Date();
    await executePayout(db, w.id, "wechatpay", t0);
    expect((await withdrawal(w.id)).confirmParams).not.toBeNull();
    wx.setBillState(billNo, "TRANSFERING");
    expect(await performDueProviderCalls(db, minutes(t0, 3))).toBe(0);
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING", confirmParams: null, confirmIssuedAt: null });
  });
});

describe("WeChat's MCHTRANSFER.BILL.FINISHED callback", () => {
  it("makes the payout asked at once: paid before the next poll would come; WeChat repeating the callback changes nothing", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await approvedWithdrawal("notified", "冯二");
    expect(await executePayout(db, w.id, "wechatpay")).toBe("PAYING");
    const bill = wx.transferBills.get(billNo)!;
    expect(wx.payeeConfirms({ mchId: wx.mchid, appId: wx.appid, package: bill.package_info }).err_msg).toBe("requestMerchantTransfer:ok");

    const cb = wx.billFinished(billNo);
    const res = await deliver(cb);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("SUCCESS");
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAID", confirmParams: null });
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    expect((await payoutCall(w.id)).status).toBe("DONE");

    const entries = await db.ledgerEntry.count();
    const res2 = await deliver(cb);
    expect(res2.status).toBe(200);
    expect(await res2.text()).toBe("SUCCESS");
    expect(await db.ledgerEntry.count()).toBe(entries);
    expect(await db.auditLog.count({ where: { action: "withdrawal.paid", target: `withdrawal:${w.id}` } })).toBe(1);
    await expectLedgerBalanced();
  });

  it("a failed bill's callback returns the money through WeChat's own answer; a forged or another merchant's callback is refused with 400", async () => {
    const db = database.prisma;
    const { memberId, w, billNo } = await approvedWithdrawal("notefail", "卫四");
    expect(await executePayout(db, w.id, "wechatpay")).toBe("PAYING");
    wx.setBillState(billNo, "FAIL", "ACCOUNT_FROZEN");

    const { privateKey: intruder } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    expect((await deliver(wx.billFinished(billNo, { signWith: intruder }))).status).toBe(400);
    const bill = wx.transferBills.get(billNo)!;
    const otherMerchant = wx.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", { mch_id: "1900000999", out_bill_no: billNo, transfer_bill_no: bill.transfer_bill_no, state: "FAIL", transfer_amount: 100_000, openid: bill.openid });
    expect((await deliver(otherMerchant)).status).toBe(400);
    const nameless = wx.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", { mch_id: wx.mchid, transfer_bill_no: bill.transfer_bill_no, state: "FAIL", transfer_amount: 100_000, openid: bill.openid });
    expect((await deliver(nameless)).status).toBe(400);
    expect(console.warn).toHaveBeenCalledWith(expect.stringContaining("malformed wechatpay transfer bill"));
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING" });
    expect((await payoutCall(w.id)).lastAttemptAt).toEqual((await payoutCall(w.id)).createdAt);

    expect((await deliver(wx.billFinished(billNo))).status).toBe(200);
    const failed = await withdrawal(w.id);
    expect(failed).toMatchObject({ status: "FAILED", confirmParams: null });
    expect(failed.failReason).toContain("ACCOUNT_FROZEN");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0 });
    await expectLedgerBalanced();
  });

  it("its state is not taken: a callback saying SUCCESS while WeChat's bill still waits leaves the withdrawal waiting, with its package", async () => {
    const db = database.prisma;
    const { w, billNo } = await approvedWithdrawal("claimed", "陈三");
    const t0 = new Date(Date.now() - 60_000);
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    const bill = wx.transferBills.get(billNo)!;
    // Some of WeChat's pages name the merchant "mchid" rather than "mch_id": either is taken.
    const claim = wx.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", { mchid: wx.mchid, out_bill_no: billNo, transfer_bill_no: bill.transfer_bill_no, state: "SUCCESS", transfer_amount: 100_000, openid: bill.openid });
    expect((await deliver(claim)).status).toBe(200);
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING", confirmParams: { package: bill.package_info }, confirmIssuedAt: t0 });
    // WeChat was asked (it still waits for the shopper), and is asked again a poll later.
    const call = await payoutCall(w.id);
    expect(call).toMatchObject({ status: "PENDING", lastError: "等待收款人在微信中确认收款" });
    expect(call.lastAttemptAt!.getTime()).toBeGreaterThan(t0.getTime());
    expect(call.nextAttemptAt.getTime()).toBe(call.lastAttemptAt!.getTime() + PAYOUT_POLL_MS);
    expect(bill.state).toBe("WAIT_USER_CONFIRM");
  });

  it("a callback for a bill we never sent is acknowledged and changes nothing, even when it names another kind of call", async () => {
    const db = database.prisma;
    const at = new Date();
    // A refund's number, and a payout of another provider, under the names a bill could carry.
    await db.providerCall.createMany({
      data: [
        { kind: "REFUND", provider: "wechatpay", idempotencyNo: "RF880001", amountFen: 100, providerTxnId: "4200000001", nextAttemptAt: new Date(at.getTime() + 3600_000), createdAt: at },
        { kind: "PAYOUT", provider: "sandbox", idempotencyNo: "WD880002", amountFen: 100, nextAttemptAt: new Date(at.getTime() + 3600_000), createdAt: at },
      ],
    });
    const calls = await db.providerCall.findMany({ orderBy: { id: "asc" } });
    const stranger = wx.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", { mch_id: wx.mchid, out_bill_no: "WD999999", transfer_bill_no: "13300009999", state: "SUCCESS", transfer_amount: 100_000, openid: "ostranger000000000000000001" });
    const res = await deliver(stranger);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("SUCCESS");
    for (const out_bill_no of ["RF880001", "WD880002"]) {
      const named = wx.callback("MCHTRANSFER.BILL.FINISHED", "mch_payment", { mch_id: wx.mchid, out_bill_no, transfer_bill_no: "13300009998", state: "SUCCESS", transfer_amount: 100, openid: "ostranger000000000000000001" });
      expect((await deliver(named)).status).toBe(200);
    }
    expect(await db.providerCall.findMany({ orderBy: { id: "asc" } })).toEqual(calls);
  });

  it("names the payout its out_bill_no was made from, padded or a staff retry's", () => {
    for (const payoutNo of ["WD1", "WD12", "WD1234", "WD7-2", "WD12-10", "WD990001"]) expect(payoutNoOfBill(transferBatchNo(payoutNo))).toBe(payoutNo);
    expect(transferBatchNo("WD7")).toBe("00WD7");
  });

  it.runIf(usingPostgres())("arriving while a poll holds the call (its answer from before the end), waits for it and then asks again at once", async () => {
    const db = database.prisma;
    const { w, billNo } = await approvedWithdrawal("overlap", "褚五");
    expect(await executePayout(db, w.id, "wechatpay")).toBe("PAYING");
    const bill = wx.transferBills.get(billNo)!;
    const callId = (await payoutCall(w.id)).id;
    // A poll has claimed the call and heard WAIT_USER_CONFIRM; then the shopper confirms and WeChat's callback comes.
    let release!: () => void;
    let claimed!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const locked = new Promise<void>((r) => (claimed = r));
    const poll = db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "ProviderCall" WHERE id = ${callId} FOR UPDATE`;
        claimed();
        await gate;
        // The poll ends as polls do: asked again PAYOUT_POLL_MS later.
        await tx.providerCall.update({ where: { id: callId }, data: { nextAttemptAt: new Date(Date.now() + PAYOUT_POLL_MS), lastAttemptAt: new Date() } });
      },
      { timeout: 60_000 },
    );
    await locked;
    expect(wx.payeeConfirms({ mchId: wx.mchid, appId: wx.appid, package: bill.package_info }).err_msg).toBe("requestMerchantTransfer:ok");
    const delivered = deliver(wx.billFinished(billNo));
    await queued(db, 1, delivered);
    release();
    await poll;
    expect((await delivered).status).toBe(200);
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAID" });
  });
});

describe("WECHATPAY_TRANSFER_API and the 商家转账 settings", () => {
  const envFor = (over: Env): Env => {
    const c = wx.config();
    return {
      WECHATPAY_MCHID: c.mchid, WECHATPAY_APPID: c.appid, WECHATPAY_MERCHANT_SERIAL: c.merchantSerial, WECHATPAY_MERCHANT_PRIVATE_KEY: c.merchantPrivateKey,
      WECHATPAY_APIV3_KEY: c.apiV3Key, WECHATPAY_PLATFORM_PUBLIC_KEY_ID: c.platformKeyId, WECHATPAY_PLATFORM_PUBLIC_KEY: c.platformKey, WECHATPAY_BASE_URL: c.baseUrl, ...over,
    };
  };

  it("batches still pays through the old batch API; unset means transfer bills", async () => {
    const batches = wechatPayConfigFromEnv(envFor({ WECHATPAY_TRANSFER_API: "batches" }), "http://127.0.0.1:3100")!;
    expect(batches.transferApi).toBe("batches");
    expect(wechatPayConfigFromEnv(envFor({}), "http://127.0.0.1:3100")!.transferApi).toBe("bills");
    const billsBefore = wx.transferBills.size;
    const r = await new WechatPayProvider(batches).payout({ payoutNo: "WD990001", amountFen: 100_000, realName: "孙八", payeeAccount: "obatch000000000000000000001" });
    expect(r).toEqual({ status: "PROCESSING" });
    expect(wx.batches.get("WD990001")).toMatchObject({ total_amount: 100_000, user_name: "孙八" });
    expect(wx.transferBills.size).toBe(billsBefore);
  });

  it("scene 1005 reports 岗位类型 and 报酬说明; another scene's 报备信息 and wording come from the settings", async () => {
    const scene1005 = wechatPayConfigFromEnv(envFor({ WECHATPAY_TRANSFER_SCENE_ID: "1005" }), "http://127.0.0.1:3100")!;
    await new WechatPayProvider(scene1005).payout({ payoutNo: "WD990002", amountFen: 10_000, realName: "周九", payeeAccount: "oscene1005000000000000000001" });
    expect(wx.transferBills.get("WD990002")).toMatchObject({ transfer_scene_id: "1005", user_recv_perception: "劳务报酬", report_infos: { 岗位类型: "推广员", 报酬说明: "推广佣金提现到零钱" } });

    const own = wechatPayConfigFromEnv(
      envFor({ WECHATPAY_TRANSFER_SCENE_ID: "1005", WECHATPAY_TRANSFER_PERCEPTION: "劳务报酬", WECHATPAY_TRANSFER_REPORT_INFOS: '{"岗位类型":"分销员","报酬说明":"十一月佣金"}' }),
      "http://127.0.0.1:3100",
    )!;
    await new WechatPayProvider(own).payout({ payoutNo: "WD990003", amountFen: 10_000, realName: "吴十", payeeAccount: "oscene1005000000000000000002" });
    expect(wx.transferBills.get("WD990003")!.report_infos).toEqual({ 岗位类型: "分销员", 报酬说明: "十一月佣金" });
  });

  it("production start checks them like the other WECHATPAY_* settings", () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const wxp: Env = {
      NEXTAUTH_SECRET: "s".repeat(40), FIELD_ENCRYPTION_KEY: "f".repeat(40), SITE_URL: "https://shop.example.com", DATABASE_URL: "postgresql://u:p@db:5432/shop",
      PAYMENT_PROVIDER: "wechatpay", SMS_PROVIDER: "tencent", TENCENTCLOUD_SECRET_ID: "id", TENCENTCLOUD_SECRET_KEY: "key", TENCENT_SMS_SDK_APP_ID: "1400000000",
      TENCENT_SMS_SIGN_NAME: "商城", TENCENT_SMS_TEMPLATE_OTP: "123456",
      WECHATPAY_MCHID: "1900000109", WECHATPAY_APPID: "wxd678efh567hg6787", WECHATPAY_MERCHANT_SERIAL: "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      WECHATPAY_MERCHANT_PRIVATE_KEY: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), WECHATPAY_APIV3_KEY: "a".repeat(32),
      WECHATPAY_PLATFORM_PUBLIC_KEY_ID: "PUB_KEY_ID_0119000001092025000000000001", WECHATPAY_PLATFORM_PUBLIC_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
    };
    const problem = (over: Env) => productionEnvProblems({ ...wxp, ...over }).filter((p) => p.startsWith("WECHATPAY_TRANSFER"));
    expect(problem({})).toEqual([]);
    expect(problem({ WECHATPAY_TRANSFER_API: "batches" })).toEqual([]);
    expect(problem({ WECHATPAY_TRANSFER_SCENE_ID: "1005" })).toEqual([]);
    expect(problem({ WECHATPAY_TRANSFER_API: "bill" }).join("\n")).toMatch(/^WECHATPAY_TRANSFER_API: must be "bills"/);
    expect(problem({ WECHATPAY_TRANSFER_SCENE_ID: "1006" }).join("\n")).toMatch(/^WECHATPAY_TRANSFER_REPORT_INFOS: missing: 转账场景 1006/);
    expect(problem({ WECHATPAY_TRANSFER_SCENE_ID: "1006", WECHATPAY_TRANSFER_REPORT_INFOS: '{"报销类型":"差旅费"}' })).toEqual([]);
    expect(problem({ WECHATPAY_TRANSFER_REPORT_INFOS: '["活动名称"]' }).join("\n")).toMatch(/^WECHATPAY_TRANSFER_REPORT_INFOS: must be a JSON object/);
    // The old batch API needs no 报备信息.
    expect(problem({ WECHATPAY_TRANSFER_API: "batches", WECHATPAY_TRANSFER_SCENE_ID: "1006" })).toEqual([]);
  });
});
