// SPEC §6, the payout's steps as staff and shoppers see them: moving an approved withdrawal to PAYING is in
// the audit log like every other step, and a failed payout shows the shopper a plain reason (the money is back
// in `available`) while staff keep the provider's own text.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { fromMerchant } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { approveWithdrawal, executePayout, rejectWithdrawal, requestWithdrawal, retryFailedPayoutNow } from "../../server/wallet/withdrawals";
import { applyPayoutResult } from "../../server/wallet/payout-result";
import { withdrawalQueue } from "../../server/wallet/review";
import { freshDatabase } from "../helpers/db";
import { callerFor } from "../helpers/caller";

const config = parseConfig({});
const VALID_ID = "11010519491231002X";
let database: Database;
let member: number;
let staff: number;
const run = <T,>(fn: Parameters<typeof inTx<T>>[2]) => inTx(database.prisma, { config }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  member = (await run((ctx) => registerMember(ctx, { username: "shopper" }))).id;
  staff = (await database.prisma.staffAccount.create({ data: { username: "fa", displayName: "A", role: "finance", passwordHash: "x", createdAt: new Date() } })).id;
  await run((ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", member, "available", 10_000_000));
});
afterEach(() => database.close());

const auditsOf = async (id: number) => database.prisma.auditLog.findMany({ where: { target: `withdrawal:${id}` }, orderBy: { id: "asc" } });

describe("the move to PAYING", () => {
  it("is audited, by the system, with the payout number and attempt, once per attempt", async () => {
    // The sandbox refuses a payee named 测试失败 (server/payments/sandbox.ts): a failure, then a retry.
    await run((ctx) => verifyIdentity(ctx, member, { realName: "测试失败", idNumber: VALID_ID }));
    const w = await run((ctx) => requestWithdrawal(ctx, member, 300_000)); // above 2 000 元: one approver
    await run((ctx) => approveWithdrawal(ctx, w.id, { staffId: staff }));
    expect(await executePayout(database.prisma, w.id, "sandbox")).toBe("FAILED");
    expect(await executePayout(database.prisma, w.id, "sandbox")).toBe("SKIPPED"); // not PAYING again: no second entry
    await retryFailedPayoutNow(database.prisma, w.id, { staffId: staff }, new Date(), "sandbox");

    const audits = await auditsOf(w.id);
    expect(audits.map((a) => a.action)).toEqual([
      "withdrawal.requested", "withdrawal.approved", "withdrawal.paying", "withdrawal.failed",
      "withdrawal.payout_retried", "withdrawal.paying", "withdrawal.failed",
    ]);
    const paying = audits.filter((a) => a.action === "withdrawal.paying");
    expect(paying.map((a) => [a.actorType, a.actorId])).toEqual([["system", null], ["system", null]]);
    expect(paying.map((a) => a.data)).toEqual([
      { payoutNo: `WD${w.id}`, attempt: 1, provider: "sandbox", amountFen: 300_000, feeFen: w.feeFen },
      { payoutNo: `WD${w.id}-2`, attempt: 2, provider: "sandbox", amountFen: 300_000, feeFen: w.feeFen },
    ]);
  });
});

describe("a failed payout's reason", () => {
  it("is plain words for the shopper; staff keep the provider's text", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "测试失败", idNumber: VALID_ID }));
    const w = await run((ctx) => requestWithdrawal(ctx, member, 100_000)); // up to 2 000 元: approved at once
    expect(await executePayout(database.prisma, w.id, "sandbox")).toBe("FAILED");

    const shown = (await callerFor(database.prisma, member).wallet.summary()).withdrawals.find((x) => x.id === w.id);
    expect(shown).toMatchObject({ status: "FAILED", failure: "other", reason: "打款未成功，款项已退回可提现余额" });
    expect(JSON.stringify(shown)).not.toContain("sandbox");
    const queued = (await withdrawalQueue(database.prisma, {})).items.find((x) => x.id === w.id);
    expect(queued?.failReason).toBe("sandbox: payee account rejected");
  });

  it("names the case when the provider's code tells it", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    // The reasons as server/payments/providers word them: their own text, WeChat's fail_reason, Alipay's sub_code.
    const cases: [string, string | null, string][] = [
      ["未绑定微信，无法转账到零钱", "unbound", "未绑定收款账户，款项已退回可提现余额"],
      ["微信转账失败 NAME_NOT_CORRECT", "identity", "收款账户实名校验未通过，款项已退回可提现余额"],
      ["支付宝转账失败 PAYEE_USER_INFO_ERROR 支付宝账号和姓名不匹配", "identity", "收款账户实名校验未通过，款项已退回可提现余额"],
      ["微信转账失败 DAY_RECEIVED_QUOTA_EXCEED", "limit", "超出收款账户的收款限额，款项已退回可提现余额"],
      ["微信转账失败 ACCOUNT_FROZEN", "account", "收款账户异常，款项已退回可提现余额"],
      ["支付宝转账失败 PAYEE_NOT_EXIST 收款账号不存在", "account", "收款账户异常，款项已退回可提现余额"],
      // The merchant's own side (its product rights, the same account on both ends): not the shopper's account.
      ["微信转账失败 PRODUCT_AUTH_CHECK_FAIL", "other", "打款未成功，款项已退回可提现余额"],
      ["支付宝转账失败 PAYER_PAYEE_CANNOT_SAME 收付款方不能相同", "other", "打款未成功，款项已退回可提现余额"],
    ];
    for (const [providerReason, failure, reason] of cases) {
      const w = await run((ctx) => requestWithdrawal(ctx, member, 10_000));
      // PAYING with the provider's answer still to come (as in server/payments/calls.ts).
      await database.prisma.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
      await run((ctx) => applyPayoutResult(ctx, w.id, { status: "FAILED", reason: providerReason }));
      const shown = (await callerFor(database.prisma, member).wallet.summary()).withdrawals.find((x) => x.id === w.id);
      expect({ providerReason, failure: shown?.failure, reason: shown?.reason }).toEqual({ providerReason, failure, reason });
      expect((await database.prisma.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).failReason).toBe(providerReason);
    }
  });

  it("leaves a rejection's note, which the reviewer wrote for the shopper, as it is", async () => {
    await run((ctx) => verifyIdentity(ctx, member, { realName: "张三丰", idNumber: VALID_ID }));
    const w = await run((ctx) => requestWithdrawal(ctx, member, 300_000));
    await run((ctx) => rejectWithdrawal(ctx, w.id, { staffId: staff }, "实名信息与银行卡不符"));
    const shown = (await callerFor(database.prisma, member).wallet.summary()).withdrawals.find((x) => x.id === w.id);
    expect(shown).toMatchObject({ status: "REJECTED", failure: null, reason: "实名信息与银行卡不符" });
  });
});
