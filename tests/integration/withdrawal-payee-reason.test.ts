// The back-office queue names where a payout goes (the 通过 dialog: channel, masked account, masked verified name,
// identity status) and why a failed one failed (its case, whose move a 重新打款 waits for, the provider's own text);
// the shopper's failure notification says why and what to do, in their words.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import type { PaymentProvider } from "../../server/payments/provider";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { executePayout, requestWithdrawal } from "../../server/wallet/withdrawals";
import { applyPayoutResult } from "../../server/wallet/payout-result";
import { withdrawalQueue } from "../../server/wallet/review";
import { registerProvider } from "../../server/payments/registry";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
const VALID_ID = "11010519491231002X";
let database: Database;
let member: number;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

// Only its payee platform is read here (which account the payout pays): nothing is sent through it.
registerProvider({ name: "queue-test-alipay", payeePlatform: { platform: "alipay", appId: "2021000000000001" } } as unknown as PaymentProvider);
registerProvider({ name: "queue-test-wechat", payeePlatform: { platform: "wechat", appId: "wx0000000000000001" } } as unknown as PaymentProvider);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  member = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
  await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 1_000_000));
});
afterEach(() => database.close());

const rowOf = async (id: number, providerName: string) => (await withdrawalQueue(database.prisma, {}, undefined, providerName)).items.find((x) => x.id === id);

describe("the queue's payee", () => {
  it("names the channel, the account and the verified name, masked", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "周小云", idNumber: VALID_ID }));
    const w = await run((ctx) => requestWithdrawal(ctx, member, 300_000)); // above 2 000 元: waits for an approver
    // Unbound at Alipay: the dialog says the payout would fail.
    expect((await rowOf(w.id, "queue-test-alipay"))?.payee).toEqual({ channel: "alipay", account: null, realNameMasked: "周*云", verified: true });
    await database.prisma.externalAccount.create({
      data: { memberId: member, platform: "alipay", appId: "2021000000000001", subject: "hash-of-login", subjectEnc: "x", subjectMasked: "138****5678", createdAt: new Date() },
    });
    expect((await rowOf(w.id, "queue-test-alipay"))?.payee).toEqual({ channel: "alipay", account: "138****5678", realNameMasked: "周*云", verified: true });
    // Another app's account is not where this provider pays.
    expect((await rowOf(w.id, "queue-test-wechat"))?.payee).toEqual({ channel: "wechat", account: null, realNameMasked: "周*云", verified: true });
    // An openid: its ends only.
    await database.prisma.externalAccount.create({ data: { memberId: member, platform: "wechat", appId: "wx0000000000000001", subject: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", createdAt: new Date() } });
    expect((await rowOf(w.id, "queue-test-wechat"))?.payee.account).toBe("oUpF****eS6o");
    // The sandbox pays no account.
    expect((await rowOf(w.id, "sandbox"))?.payee).toEqual({ channel: null, account: null, realNameMasked: "周*云", verified: true });
    // The account number and the real name never leave the server unmasked.
    expect(JSON.stringify(await withdrawalQueue(database.prisma, {}, undefined, "queue-test-alipay"))).not.toContain("周小云");
  });

  it("says when the member's identity is not verified", async () => {
    const w = await database.prisma.withdrawal.create({ data: { memberId: member, amountFen: 300_000, feeFen: 0, status: "PENDING_REVIEW", approvalsNeeded: 1, createdAt: new Date() } });
    expect((await rowOf(w.id, "sandbox"))?.payee).toEqual({ channel: null, account: null, realNameMasked: null, verified: false });
  });
});

describe("a failed payout's reason", () => {
  it("is the case of the provider's code for staff, with the provider's text kept", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "测试失败", idNumber: VALID_ID }));
    const w = await run((ctx) => requestWithdrawal(ctx, member, 100_000)); // up to 2 000 元: approved at once
    expect(await executePayout(database.prisma, w.id, "sandbox")).toBe("FAILED");
    expect((await rowOf(w.id, "sandbox"))?.failure).toEqual({ code: "payeeRejected", side: "payee", raw: "sandbox: payee account rejected" });

    const w2 = await run((ctx) => requestWithdrawal(ctx, member, 10_000));
    await database.prisma.withdrawal.update({ where: { id: w2.id }, data: { status: "PAYING" } });
    await run((ctx) => applyPayoutResult(ctx, w2.id, { status: "FAILED", reason: "微信转账失败 NOT_ENOUGH 资金不足" }));
    expect((await rowOf(w2.id, "sandbox"))?.failure).toEqual({ code: "merchantBalance", side: "merchant", raw: "微信转账失败 NOT_ENOUGH 资金不足" });
    // Not failed: no failure case.
    const w3 = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    expect((await rowOf(w3.id, "sandbox"))?.failure).toBeNull();
  });

  it("tells the shopper why and what to do in the notification", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    const cases: [string, string, string][] = [
      ["支付宝转账失败 PAYEE_USER_INFO_ERROR 支付宝账号和姓名不匹配", "withdrawal.failed.identity", "打款未成功：收款账户实名与认证姓名不一致，或收款账户未实名。金额已退回可提现余额，请检查收款账户后重新提现"],
      ["微信转账失败 DAY_RECEIVED_QUOTA_EXCEED", "withdrawal.failed.limit", "打款未成功：超出收款账户的收款限额。金额已退回可提现余额，请次日再试或减少金额后重新提现"],
      // The merchant's own side: not the shopper's to fix; why in words true of any such case, never the provider's code.
      ["微信转账失败 PRODUCT_AUTH_CHECK_FAIL", "withdrawal.failed", "提现打款未成功：支付渠道未能完成这笔转账。金额已退回可提现余额，可重新申请提现；如仍未成功，请通过「我的」页的联系客服与商家联系"],
    ];
    for (const [reason, key, body] of cases) {
      const w = await run((ctx) => requestWithdrawal(ctx, member, 10_000));
      await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
      await run((ctx) => applyPayoutResult(ctx, w.id, { status: "FAILED", reason }));
      const n = await database.prisma.notification.findFirstOrThrow({ where: { memberId: member }, orderBy: { id: "desc" } });
      expect({ key: n.key, title: n.title }).toEqual({ key, title: "提现失败" });
      expect(n.body).toBe(key === "withdrawal.failed" ? body : `提现单 WD${w.id} ${body}`);
      // The provider's own text stays with staff.
      expect(n.body).not.toMatch(/[A-Z]{3,}_/);
    }
  });
});
