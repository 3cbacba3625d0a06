// 我的钱包: balances by bucket, ledger history, identity verification and withdrawals (SPEC §6).
// The rules (minimum, verification, frozen, balance, approvals) are the engine's; this only adapts.
import { z } from "zod";
import { text } from "@/server/validation";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { describeError } from "@/server/api/internal-errors";
import { inTx, loadConfig, loadRules } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { myWallet } from "@/server/promotion";
import { verifyIdentity } from "@/server/wallet/identity";
import { executePayout, requestWithdrawal } from "@/server/wallet/withdrawals";
import { BUCKET_LABEL, WITHDRAWAL_RULES, payoutDestination, withdrawalView } from "@/server/wallet/view";
import { bindAlipayAccount, sendPayeeCode } from "@/server/wallet/payee";
import { clientIp } from "@/server/auth/request";
import { quoteWithdrawal } from "@/server/wallet/fee";
import { expectedPayoutSummary } from "@/server/wallet/expected";
import { alipayAccountSchema, withdrawalRequestSchema } from "@/server/wallet/schemas";

export const walletRouter = createTRPCRouter({
  summary: protectedProcedure.query(async ({ ctx }) => {
    // A read: the rules in force and no transaction (an estimate needs no snapshot).
    const rules = await loadRules(ctx.db, appNow());
    const [w, expected, payee] = await Promise.all([
      myWallet(ctx.db, ctx.session.user.id),
      expectedPayoutSummary({ tx: ctx.db, config: rules.config, ruleVersionId: rules.versionId }, ctx.session.user.id),
      payoutDestination(ctx.db, ctx.session.user.id),
    ]);
    return {
      expected,
      payee,
      balances: w.balances,
      bucketLabels: BUCKET_LABEL,
      history: w.history,
      withdrawals: w.withdrawals.map(withdrawalView),
      identity: w.identity,
      frozen: w.frozen,
      rules: WITHDRAWAL_RULES,
    };
  }),

  /** 实名认证: checksum-validated, stored encrypted, returned masked. */
  verifyIdentity: protectedProcedure
    .input(z.strictObject({ realName: text(60), idNumber: text(40) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (tx) => verifyIdentity(tx, ctx.session.user.id, input))),

  /** 获取验证码 for 绑定支付宝: to the account's own phone (the sign-in code's limits). */
  sendPayeeCode: protectedProcedure.mutation(({ ctx }) => sendPayeeCode(ctx.db, ctx.session.user.id, clientIp(ctx.headers))),

  /** 绑定支付宝: the login withdrawals are paid to when Alipay pays them out, with the code just sent; stored encrypted, returned masked. */
  bindAlipay: protectedProcedure
    .input(alipayAccountSchema)
    .mutation(({ ctx, input }) => bindAlipayAccount(ctx.db, ctx.session.user.id, input, appNow(), undefined, clientIp(ctx.headers))),

  /** The fee and the amount paid out for a withdrawal of amountFen, shown before the shopper confirms. */
  quote: protectedProcedure
    .input(z.strictObject({ amountFen: z.number().int().positive().max(2_000_000_000) }))
    .query(async ({ ctx, input }) => quoteWithdrawal(await loadConfig(ctx.db), input.amountFen)),

  /** 提现: auto-approved requests are paid out at once so the shopper sees 已到账 without waiting; a resent key gets its withdrawal back. */
  requestWithdrawal: protectedProcedure
    .input(withdrawalRequestSchema)
    .mutation(async ({ ctx, input }) => {
      const w = await inTx(ctx.db, { now: appNow() }, (tx) =>
        requestWithdrawal(tx, ctx.session.user.id, input.amountFen, { expectedFeeFen: input.expectedFeeFen, requestKey: input.requestKey }),
      );
      if (w.status === "APPROVED") {
        try {
          await executePayout(ctx.db, w.id);
        } catch (err) {
          // The scheduler retries approved payouts every 15 s; the request itself stands.
          // describeError: a Prisma message quotes the query's values (names, ID numbers, accounts).
          console.error(`payout of withdrawal ${w.id} after auto-approval failed: ${describeError(err)}`);
        }
      }
      return withdrawalView(await ctx.db.withdrawal.findUniqueOrThrow({ where: { id: w.id } }));
    }),
});
