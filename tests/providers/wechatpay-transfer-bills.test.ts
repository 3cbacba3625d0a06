// Withdrawals to WeChat 零钱 through the upgraded 商家转账 (transfer bills, the only product merchants opened
// since 2025-01-15 get), against the local WeChat Pay server (real signatures both ways, user_name decrypted
// with the platform key): the bill waits for the shopper to confirm receipt in WeChat, the package is kept for
// the wallet's 确认收款, the scheduler asks until the bill ends, and a cancelled bill returns the money.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { PAYOUT_POLL_MS, performDueProviderCalls } from "../../server/payments/calls";
import { WechatPayProvider, wechatPayConfigFromEnv } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal, retryFailedPayoutNow } from "../../server/wallet/withdrawals";
import { withdrawalExportPage, withdrawalQueue } from "../../server/wallet/review";
import { productionEnvProblems, type Env } from "../../server/env";
import { freshDatabase } from "../helpers/db";
import { callerFor } from "../helpers/caller";
import { WechatPayTestServer } from "../helpers/wechatpay-server";
import { confirmReceipt } from "../../app/wallet/confirm-receipt";

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
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName, idNumber: "11010519491231002X" }));
  await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", 500_000));
  const openid = `o${username.padEnd(27, "0")}`;
  await db.externalAccount.create({ data: { memberId: m.id, platform: "wechat", appId: wx.appid, subject: openid, createdAt: new Date() } });
  const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, 100_000));
  expect(w.status).toBe("APPROVED");
  return { memberId: m.id, w, openid, billNo: `WD${w.id}`.padStart(5, "0") };
}

const withdrawal = (id: number) => database.prisma.withdrawal.findUniqueOrThrow({ where: { id } });
const minutes = (from: Date, n: number) => new Date(from.getTime() + n * 60_000);

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

  it("a payout asked again after its answer was lost sends nothing new: WeChat's bill is queried first", async () => {
    const db = database.prisma;
    const { w, billNo, openid } = await approvedWithdrawal("lostanswer", "李四");
    // The first request reached WeChat, its answer never reached us (the provider call is still PENDING).
    await new WechatPayProvider(wx.config()).payout({ payoutNo: `WD${w.id}`, amountFen: 100_000, realName: "李四", payeeAccount: openid });
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(1);

    expect(await executePayout(db, w.id, "wechatpay")).toBe("PAYING");
    expect(wx.billRequests.filter((n) => n === billNo)).toHaveLength(1);
    expect(wx.rejected).toEqual([]);
    // Waiting for the shopper, but the package was in the lost answer: nothing to offer them.
    expect(await withdrawal(w.id)).toMatchObject({ status: "PAYING", confirmParams: null });
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
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    await expectLedgerBalanced();

    // 重新打款 names attempt 2 "WD<id>-2": WeChat gets the letters-and-digits form of it, a bill of its own.
    const retried = await retryFailedPayoutNow(db, w.id, { staffId }, minutes(t0, 24 * 60 + 5), "wechatpay");
    expect(retried.status).toBe("PAYING");
    const second = wx.transferBills.get(`WD${w.id}R2`)!;
    expect(second).toMatchObject({ transfer_amount: 100_000, state: "WAIT_USER_CONFIRM" });
    expect((await withdrawal(w.id)).confirmParams).toEqual({ mchId: wx.mchid, appId: wx.appid, package: second.package_info });
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
