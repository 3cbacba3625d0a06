// Payouts the provider refuses for good, payouts whose payee account went away after the send, and staff's
// 确认打款失败，退回余额 of a dead-lettered payout — through the real Alipay and WeChat Pay adapters against the local
// protocol servers (SPEC §6: a failed payout returns the money to `available`; a payout the provider may still be
// paying is never released).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../../server/payments/calls";
import { AlipayProvider } from "../../server/payments/providers/alipay";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { approveWithdrawalNow, confirmPayoutFailed, executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { retryFailedJob } from "../../server/scheduler/failed";
import { freshDatabase } from "../helpers/db";
import { AlipayTestServer } from "../helpers/alipay-server";
import { WechatPayTestServer } from "../helpers/wechatpay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

const config = parseConfig({});
let database: Database;
let ali: AlipayTestServer;
let wx: WechatPayTestServer;
const actor = { staffId: 0, username: "fin", role: "finance" as const, requestId: "r" };

beforeAll(async () => {
  ali = await new AlipayTestServer().start();
  wx = await new WechatPayTestServer().start();
  registerProvider(new AlipayProvider(ali.config()));
  registerProvider(new WechatPayProvider(wx.config()));
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  actor.staffId = (await database.prisma.staffAccount.create({ data: { username: "fin", displayName: "财务", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
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

const AVAILABLE = 500_000;

/** A verified member with 5 000 元 available and an account at `platform`, asking for `amountFen`. */
async function withdrawal(username: string, platform: "alipay" | "wechat", amountFen = 100_000) {
  const db = database.prisma;
  const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", AVAILABLE));
  const account =
    platform === "alipay"
      ? { platform, appId: ali.appId, subject: `2088${String(m.id).padStart(12, "0")}` }
      : { platform, appId: wx.appid, subject: `o${username.padEnd(27, "0")}` };
  await db.externalAccount.create({ data: { memberId: m.id, ...account, createdAt: new Date() } });
  const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, amountFen));
  return { memberId: m.id, w };
}

const withdrawalRow = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const callOf = (withdrawalId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { withdrawalId } });
const later = (from: Date, hours: number) => new Date(from.getTime() + hours * 3600_000);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

/** Runs the due calls until the payout call is dead-lettered (every attempt refused). */
async function untilDead(withdrawalId: number, from: Date): Promise<Date> {
  let at = from;
  for (let i = 0; i < PROVIDER_MAX_ATTEMPTS + 1 && (await callOf(withdrawalId)).status !== "DEAD"; i++) {
    at = later(at, 7);
    await performDueProviderCalls(database.prisma, at);
  }
  expect((await callOf(withdrawalId)).status).toBe("DEAD");
  return at;
}

describe("Alipay: a 40004 is final unless it can pass later", () => {
  it("EXCEED_LIMIT_SM_AMOUNT fails the payout at once: the amount and the fee are back in available", async () => {
    const { memberId, w } = await withdrawal("alilimit", "alipay");
    ali.refuseTransfers = { sub_code: "EXCEED_LIMIT_SM_AMOUNT", sub_msg: "单笔额度超限" };
    try {
      expect(await executePayout(database.prisma, w.id, "alipay", new Date())).toBe("FAILED");
    } finally {
      ali.refuseTransfers = undefined;
    }
    expect((await withdrawalRow(w.id)).failReason).toContain("EXCEED_LIMIT_SM_AMOUNT");
    expect(await walletOf({ tx: database.prisma }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0, withdrawn: 0 });
    expect((await callOf(w.id)).status).toBe("DONE");
  });

  it("PAYER_BALANCE_NOT_ENOUGH (the merchant tops up) is asked again and pays once it can", async () => {
    const { memberId, w } = await withdrawal("alibalance", "alipay");
    const t0 = new Date();
    ali.refuseTransfers = { sub_code: "PAYER_BALANCE_NOT_ENOUGH", sub_msg: "付款方余额不足" };
    try {
      expect(await executePayout(database.prisma, w.id, "alipay", t0)).toBe("PAYING");
    } finally {
      ali.refuseTransfers = undefined;
    }
    expect(await performDueProviderCalls(database.prisma, later(t0, 1))).toBe(0);
    expect(ali.transfers.get(`WD${w.id}`)?.status).toBe("DEALING");
    ali.completeTransfer(`WD${w.id}`);
    expect(await performDueProviderCalls(database.prisma, later(t0, 2))).toBe(1);
    expect((await withdrawalRow(w.id)).status).toBe("PAID");
    expect(await walletOf({ tx: database.prisma }, memberId)).toMatchObject({ available: AVAILABLE - 100_000, withdrawing: 0, withdrawn: 100_000 - w.feeFen });
  });

  it("a transfer already sent is asked about, not failed, when the member's Alipay account is gone (the app id changed)", async () => {
    const { memberId, w } = await withdrawal("alimoved", "alipay");
    const t0 = new Date();
    expect(await executePayout(database.prisma, w.id, "alipay", t0)).toBe("PAYING");
    expect(ali.transfers.get(`WD${w.id}`)?.status).toBe("DEALING");
    await database.prisma.externalAccount.deleteMany({ where: { memberId } });
    await performDueProviderCalls(database.prisma, later(t0, 1));
    expect((await withdrawalRow(w.id)).status).toBe("PAYING");
    ali.completeTransfer(`WD${w.id}`);
    await performDueProviderCalls(database.prisma, later(t0, 2));
    expect((await withdrawalRow(w.id)).status).toBe("PAID");
    expect(await walletOf({ tx: database.prisma }, memberId)).toMatchObject({ withdrawing: 0, withdrawn: 100_000 - w.feeFen });
    expect(ali.transferRequests.filter((no) => no === `WD${w.id}`)).toHaveLength(1);
  });

  it("an unbound member whose payout was never sent still fails (nothing at Alipay under the number)", async () => {
    const { memberId, w } = await withdrawal("aliunbound", "alipay");
    await database.prisma.externalAccount.deleteMany({ where: { memberId } });
    expect(await executePayout(database.prisma, w.id, "alipay", new Date())).toBe("FAILED");
    expect((await withdrawalRow(w.id)).failReason).toMatch(/^未绑定支付宝账户/);
    expect(await walletOf({ tx: database.prisma }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0 });
  });
});

describe("WeChat: a transfer bill refused with a 4xx business error", () => {
  it("NO_AUTH (403) fails the payout once WeChat has no bill under the number", async () => {
    const { memberId, w } = await withdrawal("wxnoauth", "wechat");
    wx.refuseBills = { status: 403, code: "NO_AUTH", message: "商户无权限" };
    try {
      expect(await executePayout(database.prisma, w.id, "wechatpay", new Date())).toBe("FAILED");
    } finally {
      wx.refuseBills = undefined;
    }
    expect((await withdrawalRow(w.id)).failReason).toBe("微信转账失败 NO_AUTH 商户无权限");
    expect(await walletOf({ tx: database.prisma }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0 });
  });

  it("NOT_ENOUGH (the merchant's balance) and a 500 are asked again, not failed", async () => {
    const { w } = await withdrawal("wxbalance", "wechat");
    const t0 = new Date();
    wx.refuseBills = { status: 403, code: "NOT_ENOUGH", message: "账户余额不足" };
    try {
      expect(await executePayout(database.prisma, w.id, "wechatpay", t0)).toBe("PAYING");
      wx.refuseBills = { status: 500, code: "SYSTEM_ERROR", message: "系统繁忙" };
      await performDueProviderCalls(database.prisma, later(t0, 1));
    } finally {
      wx.refuseBills = undefined;
    }
    expect((await withdrawalRow(w.id)).status).toBe("PAYING");
    expect((await callOf(w.id)).attempts).toBe(2);
  });

  it("a bill already waiting for the payee is asked about, not failed, when the member's openid is gone", async () => {
    const { memberId, w } = await withdrawal("wxmoved", "wechat");
    const t0 = new Date();
    expect(await executePayout(database.prisma, w.id, "wechatpay", t0)).toBe("PAYING");
    await database.prisma.externalAccount.deleteMany({ where: { memberId } });
    await performDueProviderCalls(database.prisma, later(t0, 1));
    expect((await withdrawalRow(w.id)).status).toBe("PAYING");
    wx.setBillState(`WD${w.id}`.padStart(5, "0"), "SUCCESS");
    await performDueProviderCalls(database.prisma, later(t0, 2));
    expect((await withdrawalRow(w.id)).status).toBe("PAID");
  });
});

describe("确认打款失败，退回余额 of a dead-lettered payout", () => {
  it("released only when the provider has no such transfer: FAILED, amount and fee back, the call closed for good, audited", async () => {
    const db = database.prisma;
    const { memberId, w } = await withdrawal("deadali", "alipay");
    const t0 = new Date();
    ali.refuseTransfers = { sub_code: "PAYER_BALANCE_NOT_ENOUGH", sub_msg: "付款方余额不足" };
    let at: Date;
    try {
      expect(await executePayout(db, w.id, "alipay", t0)).toBe("PAYING");
      at = await untilDead(w.id, t0);
    } finally {
      ali.refuseTransfers = undefined;
    }
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: AVAILABLE - 100_000, withdrawing: 100_000 - w.feeFen });

    const done = await confirmPayoutFailed(db, w.id, actor, at);
    expect(done.status).toBe("FAILED");
    expect(done).not.toHaveProperty("confirmParams");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0, withdrawn: 0 });
    const call = await callOf(w.id);
    expect(call.status).toBe("DONE");
    // Closed: a retry of the job can no longer send money that went back to the member.
    expect(await codeOf(inTx(db, { config, now: at }, (ctx) => retryFailedJob(ctx, actor, { type: "providerCall", id: call.id })))).toBe("NOT_FAILED");
    expect(await codeOf(confirmPayoutFailed(db, w.id, actor, at))).toBe("PAYOUT_NOT_DEAD");
    const entry = await db.auditLog.findFirst({ where: { action: "withdrawal.payout_failure_confirmed", target: `withdrawal:${w.id}` } });
    expect(entry).toMatchObject({ actorType: "staff", actorId: actor.staffId, after: { status: "FAILED" } });
  });

  it("refused while the provider shows the transfer under way or paid; nothing changes", async () => {
    const db = database.prisma;
    const { memberId, w } = await withdrawal("deadwx", "wechat");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    // The call dead-lettered while WeChat holds the bill (its answers lost, say).
    await db.providerCall.updateMany({ where: { withdrawalId: w.id }, data: { status: "DEAD" } });
    const before = await walletOf({ tx: db }, memberId);
    expect(await codeOf(confirmPayoutFailed(db, w.id, actor, t0))).toBe("PAYOUT_STILL_PROCESSING");
    wx.setBillState(`WD${w.id}`.padStart(5, "0"), "SUCCESS");
    expect(await codeOf(confirmPayoutFailed(db, w.id, actor, t0))).toBe("PAYOUT_SUCCEEDED");
    expect((await withdrawalRow(w.id)).status).toBe("PAYING");
    expect((await callOf(w.id)).status).toBe("DEAD");
    expect(await walletOf({ tx: db }, memberId)).toEqual(before);
  });

  it("a bill WeChat failed is released with WeChat's reason", async () => {
    const db = database.prisma;
    const { memberId, w } = await withdrawal("deadwxfail", "wechat");
    const t0 = new Date();
    expect(await executePayout(db, w.id, "wechatpay", t0)).toBe("PAYING");
    await db.providerCall.updateMany({ where: { withdrawalId: w.id }, data: { status: "DEAD" } });
    wx.setBillState(`WD${w.id}`.padStart(5, "0"), "FAIL", "ACCOUNT_FROZEN");
    expect((await confirmPayoutFailed(db, w.id, actor, t0)).failReason).toContain("ACCOUNT_FROZEN");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0 });
  });

  it("a withdrawal still being asked about (its call not dead-lettered) is refused", async () => {
    const { w } = await withdrawal("alivepay", "alipay");
    expect(await executePayout(database.prisma, w.id, "alipay", new Date())).toBe("PAYING");
    expect(await codeOf(confirmPayoutFailed(database.prisma, w.id, actor, new Date()))).toBe("PAYOUT_NOT_DEAD");
  });
});

describe("approving a withdrawal", () => {
  it("gives staff the withdrawal without the shopper's 确认收款 package", async () => {
    const { w } = await withdrawal("wxapprove", "wechat", 300_000);
    expect(w.status).toBe("PENDING_REVIEW");
    const approved = await approveWithdrawalNow(database.prisma, w.id, actor, new Date(), "wechatpay");
    expect(approved.status).toBe("PAYING");
    // The package is kept for the shopper (WeChat's bill waits for their 确认收款)…
    expect((await withdrawalRow(w.id)).confirmParams).toMatchObject({ package: expect.any(String) });
    // …but never handed to staff.
    expect(approved).not.toHaveProperty("confirmParams");
  });
});
