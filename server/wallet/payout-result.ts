// The outcome of a payout the provider answered (SPEC §6): PAID moves the money to `withdrawn`; a
// refused payout returns it to `available`. Runs in the transaction that closes the ProviderCall.
import type { Ctx } from "../context";
import { audit, notify } from "../context";
import { postLedger } from "./ledger";
import { payoutFen, releaseWithdrawal, withdrawalKey } from "./withdrawals";
import { Prisma } from "../db/generated/client";
import { payoutFailure } from "./payout-reason";

/** An ended payout has nothing left for the shopper to confirm in WeChat. */
const NOTHING_TO_CONFIRM = { confirmParams: Prisma.DbNull, confirmIssuedAt: null };

export async function applyPayoutResult(ctx: Ctx, withdrawalId: number, result: { status: "SUCCESS" | "FAILED"; reason?: string }) {
  await ctx.tx.$queryRaw`SELECT id FROM "Withdrawal" WHERE id = ${withdrawalId} FOR UPDATE`;
  const w = await ctx.tx.withdrawal.findUniqueOrThrow({ where: { id: withdrawalId } });
  if (w.status !== "PAYING") return w.status; // already closed (a repeated answer changes nothing)
  if (result.status === "SUCCESS") {
    await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { status: "PAID", decidedAt: ctx.now, ...NOTHING_TO_CONFIRM } });
    await postLedger(ctx, withdrawalKey(w, "paid"), "withdrawal_paid", [
      { member: w.memberId, bucket: "withdrawing", amountFen: -payoutFen(w) },
      { member: w.memberId, bucket: "withdrawn", amountFen: payoutFen(w) },
    ]);
    await audit(ctx, null, "withdrawal.paid", `withdrawal:${w.id}`, { payoutNo: w.payoutNo });
    await notify(ctx, w.memberId, "withdrawal", "withdrawal.paid", { payoutNo: w.payoutNo ?? `WD${w.id}` });
    return "PAID" as const;
  }
  await ctx.tx.withdrawal.update({ where: { id: w.id }, data: { status: "FAILED", decidedAt: ctx.now, failReason: result.reason ?? "payout failed", ...NOTHING_TO_CONFIRM } });
  await releaseWithdrawal(ctx, w);
  await audit(ctx, null, "withdrawal.failed", `withdrawal:${w.id}`, { reason: result.reason });
  // Why, in the shopper's words, and what to do (the provider's own text stays with staff): the wallet's case of the reason.
  const failure = payoutFailure(result.reason ?? null);
  await notify(ctx, w.memberId, "withdrawal", failure === "other" ? "withdrawal.failed" : `withdrawal.failed.${failure}`, { payoutNo: w.payoutNo ?? `WD${w.id}` });
  return "FAILED" as const;
}
