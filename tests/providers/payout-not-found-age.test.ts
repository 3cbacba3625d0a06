// 确认打款失败 when WeChat answers NOT_FOUND: WeChat's transfer queries answer only for the last 30 days, and the batch
// product answers NOT_FOUND while a batch is still being accepted — so "no such transfer" then is no proof the payout
// failed, and nothing is returned to the wallet (SPEC §6: a payout the provider may have paid is never released).
// Through the real WeChat Pay adapter against the local protocol server, on the test clock.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { DomainError, inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { registerProvider } from "../../server/payments";
import { performDueProviderCalls } from "../../server/payments/calls";
import { WechatPayProvider } from "../../server/payments/providers/wechatpay";
import { SandboxProvider } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { confirmPayoutFailed, executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { freshDatabase } from "../helpers/db";
import { WechatPayTestServer } from "../helpers/wechatpay-server";
import { nextTestIdNumber } from "../helpers/id-numbers";

// No withdrawal fee (the default settings): the whole 1 000 元 is held in `withdrawing`.
const config = parseConfig({});
let database: Database;
let wx: WechatPayTestServer;
const actor = { staffId: 0, username: "fin", role: "finance" as const, requestId: "r" };

beforeAll(async () => {
  wx = await new WechatPayTestServer().start();
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
  vi.unstubAllEnvs();
  await wx.stop();
  await database.close();
});

const AVAILABLE = 500_000;
const AMOUNT = 100_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A verified member with 5 000 元 available and a WeChat openid, asking for 1 000 元. */
async function withdrawal(username: string) {
  const db = database.prisma;
  const m = await inTx(db, { config }, (ctx) => registerMember(ctx, { username }));
  await inTx(db, { config }, (ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: nextTestIdNumber() }));
  await inTx(db, { config }, (ctx) => fromMerchant(ctx, `fund-${username}`, "test", "merchant:commission", m.id, "available", AVAILABLE));
  await db.externalAccount.create({ data: { memberId: m.id, platform: "wechat", appId: wx.appid, subject: `o${username.padEnd(27, "0")}`, createdAt: new Date() } });
  const w = await inTx(db, { config }, (ctx) => requestWithdrawal(ctx, m.id, AMOUNT));
  return { memberId: m.id, w };
}

const callOf = (withdrawalId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { withdrawalId } });
const billNo = (id: number) => `WD${id}`.padStart(5, "0");

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
}

/** Sends the payout at t0, then every retry when it falls due, until the call is dead-lettered; returns the last attempt's time. */
async function sendUntilDead(withdrawalId: number, t0: Date): Promise<Date> {
  expect(await executePayout(database.prisma, withdrawalId, "wechatpay", t0)).toBe("PAYING");
  let at = t0;
  for (let call = await callOf(withdrawalId); call.status === "PENDING"; call = await callOf(withdrawalId)) {
    at = call.nextAttemptAt;
    await performDueProviderCalls(database.prisma, at);
  }
  const call = await callOf(withdrawalId);
  expect(call.status).toBe("DEAD");
  // 8 attempts, 30 s, 1, 2, 4, 8, 16 and 32 min apart: the outage lasted 63.5 minutes.
  expect(call.attempts).toBe(8);
  expect(at.getTime() - t0.getTime()).toBe(63.5 * MINUTE);
  return at;
}

describe("确认打款失败 of a dead-lettered WeChat payout answered NOT_FOUND", () => {
  it("more than 30 days after it was sent: refused, the money stays held (the bill may have been paid and aged out of WeChat's query)", async () => {
    const db = database.prisma;
    const { memberId, w } = await withdrawal("wxaged");
    const t0 = new Date();
    // An outage from the first send on: WeChat creates the bill, but none of its answers reach us from then.
    let sent = false;
    wx.loseAnswer = (method) => (sent ||= method === "POST");
    try {
      await sendUntilDead(w.id, t0);
    } finally {
      wx.loseAnswer = undefined;
    }
    expect(wx.transferBills.has(billNo(w.id))).toBe(true);
    // The member confirms and is paid; 30 days on, WeChat's query no longer answers for the bill.
    wx.setBillState(billNo(w.id), "SUCCESS");
    wx.transferBills.delete(billNo(w.id));

    expect(await codeOf(confirmPayoutFailed(db, w.id, actor, new Date(t0.getTime() + 31 * DAY)))).toBe("PAYOUT_TOO_OLD_TO_QUERY");
    // Nothing released: 5 000 − 1 000 元 available, the 1 000 元 still held for the payout.
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000, withdrawn: 0 });
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAYING");
    expect((await callOf(w.id)).status).toBe("DEAD");
    expect(await db.auditLog.count({ where: { action: "withdrawal.payout_failure_confirmed", target: `withdrawal:${w.id}` } })).toBe(0);
  });

  it("10 days after it was sent: WeChat's answer holds, the payout fails and the money returns to available", async () => {
    const db = database.prisma;
    const { memberId, w } = await withdrawal("wxrecent");
    const t0 = new Date();
    // An outage in front of WeChat: every request refused, no bill created.
    wx.refuseBills = { status: 500, code: "SYSTEM_ERROR", message: "系统繁忙" };
    try {
      await sendUntilDead(w.id, t0);
    } finally {
      wx.refuseBills = undefined;
    }
    expect(wx.transferBills.has(billNo(w.id))).toBe(false);

    const done = await confirmPayoutFailed(db, w.id, actor, new Date(t0.getTime() + 10 * DAY));
    expect(done.status).toBe("FAILED");
    expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0, withdrawn: 0 });
    expect((await callOf(w.id)).status).toBe("DONE");
  });

  it("the batch product (WECHATPAY_TRANSFER_API=batches): refused within 10 minutes of the last send, released after", async () => {
    const db = database.prisma;
    vi.stubEnv("WECHATPAY_TRANSFER_API", "batches");
    registerProvider(new WechatPayProvider({ ...wx.config(), transferApi: "batches" }));
    try {
      const { memberId, w } = await withdrawal("wxbatch");
      const t0 = new Date();
      wx.loseAnswer = () => true;
      let last: Date;
      try {
        last = await sendUntilDead(w.id, t0);
      } finally {
        wx.loseAnswer = undefined;
      }
      // No batch recorded at WeChat (yet, as far as we can tell): its query answers NOT_FOUND.
      expect(wx.batches.has(billNo(w.id))).toBe(false);
      expect(await codeOf(confirmPayoutFailed(db, w.id, actor, new Date(last.getTime() + 5 * MINUTE)))).toBe("PAYOUT_BATCH_BEING_ACCEPTED");
      expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: 400_000, withdrawing: 100_000 });

      expect((await confirmPayoutFailed(db, w.id, actor, new Date(last.getTime() + 11 * MINUTE))).status).toBe("FAILED");
      expect(await walletOf({ tx: db }, memberId)).toMatchObject({ available: AVAILABLE, withdrawing: 0 });
    } finally {
      registerProvider(new WechatPayProvider(wx.config()));
      vi.unstubAllEnvs();
    }
  });
});
