// Withdrawal fee and the money settings staff edit (issue 9). The fee is part of the requested amount:
// the member asks for X, the fee F is fixed at request time (the shopper saw it before confirming) and
// X − F is paid out. Charged at request, as its own ledger transaction to merchant:withdrawal_fee, so
// `withdrawing` always equals what the provider still has to pay; a rejected or failed payout refunds
// it with its own entry (SPEC §6: the money returns to `available`).
import { lockRules, saveRuleVersion } from "../rules";
import type { Ctx } from "../context";
import { loadRules, refuse } from "../context";
import { configSchema, type MallConfig } from "../config/schema";
import { audit, staffActor, type StaffActor } from "../audit";
import { applyBps } from "../money";
import type { MoneySettings } from "./schemas";

export interface FeeSettings {
  feeBps: number;
  feeMinFen: number;
}

/** max(floor(amount × bps / 10000), minimum); no fee at all when both settings are 0. */
export function withdrawalFeeFor(amountFen: number, s: FeeSettings): number {
  if (s.feeBps === 0 && s.feeMinFen === 0) return 0;
  return Math.max(applyBps(amountFen, s.feeBps), s.feeMinFen);
}

export interface WithdrawalQuote {
  amountFen: number;
  feeFen: number;
  netFen: number;
}

/** What a withdrawal of `amountFen` costs and pays out under the current settings. */
export function quoteWithdrawal(config: Pick<MallConfig, "withdrawal">, amountFen: number): WithdrawalQuote {
  const feeFen = withdrawalFeeFor(amountFen, config.withdrawal);
  return { amountFen, feeFen, netFen: amountFen - feeFen };
}

export function moneySettingsOf(config: MallConfig): MoneySettings {
  return { feeBps: config.withdrawal.feeBps, feeMinFen: config.withdrawal.feeMinFen, adjustmentApprovalAboveFen: config.adjustment.approvalAboveFen };
}

/** Owner only (the router's role): changes the fee and the two-person threshold; audited with before/after. */
export async function updateMoneySettings(ctx: Ctx, actor: StaffActor, input: MoneySettings): Promise<MoneySettings> {
  // The settings are part of the program rules: a new rule version in force now (read by every later transaction),
  // built on the rules as they are under the lock, so a rules save committed since this transaction began is kept.
  await lockRules(ctx);
  const current = (await loadRules(ctx.tx, ctx.now)).config;
  const before = moneySettingsOf(current);
  if (before.feeBps === input.feeBps && before.feeMinFen === input.feeMinFen && before.adjustmentApprovalAboveFen === input.adjustmentApprovalAboveFen) return before;
  const data = structuredClone(current) as unknown as Record<string, unknown>;
  data.withdrawal = { ...((data.withdrawal as object | undefined) ?? {}), feeBps: input.feeBps, feeMinFen: input.feeMinFen };
  data.adjustment = { ...((data.adjustment as object | undefined) ?? {}), approvalAboveFen: input.adjustmentApprovalAboveFen };
  const checked = configSchema.safeParse(data);
  if (!checked.success) refuse("INVALID_SETTINGS", checked.error.issues[0]?.message ?? "设置无效");
  await saveRuleVersion(ctx, actor, { config: checked.data, reason: "修改提现手续费 / 调账审批设置" });
  ctx.config = checked.data;
  const after = moneySettingsOf(checked.data);
  await audit(ctx.tx, { actor: staffActor(actor), action: "settings.money_changed", target: "config:money", before, after, requestId: actor.requestId, now: ctx.now });
  return after;
}
