// Three-level distribution commission (三级分销, SPEC §4).
import { notify, rulesOfVersion, type Ctx } from "../context";
import { ratesFor } from "../config/schema";
import { nextLocalMidnight } from "../clock/time";
import { applyBps, fenToYuanString } from "../money";
import { sponsorAncestors } from "../referral";
import { matrixAncestors } from "../matrix";
import { isHeld } from "../risk/flags";
import { fromMerchant, move } from "../wallet/ledger";
import { scheduleDue } from "../scheduler/due";
import { tierConfig } from "../tiers";
import { isDistributorAt } from "../distribution";
import { recordKpiFact } from "../kpi/facts";

const LEVEL_WORD: Record<number, string> = { 1: "直推", 2: "间推", 3: "再推" };

/** Compliance red line: never more than three levels. */
export const MAX_COMMISSION_LEVELS = 3;

interface PaidOrder {
  id: number;
  memberId: number;
  lines: { goodsFen: number; category: string }[];
}

/** The commission ancestors of a buyer (depth 1..3) in the configured tree. */
export async function commissionAncestors(ctx: Ctx, buyerId: number) {
  return ctx.config.commission.tree === "matrix"
    ? matrixAncestors(ctx, buyerId, MAX_COMMISSION_LEVELS)
    : sponsorAncestors(ctx, buyerId, MAX_COMMISSION_LEVELS);
}

/** floor(lineGoods × rate / 10000) summed over lines, for one level (1-based). */
export function commissionAmount(ctx: Pick<Ctx, "config">, lines: PaidOrder["lines"], level: number, bonusBps = 0): number {
  return lines.reduce((sum, l) => sum + applyBps(l.goodsFen, ratesFor(ctx.config, l.category)[level - 1] + bonusBps), 0);
}

/** On PAID: one entry per earning ancestor; FORFEITED when frozen, not a distributor (SPEC §4) or locked (unlock rule). */
export async function createCommissionsForPaidOrder(ctx: Ctx, order: PaidOrder): Promise<void> {
  const rules = ctx.config.commission;
  if (!rules.enabled) return;
  for (const a of await commissionAncestors(ctx, order.memberId)) {
    if (a.memberId === order.memberId || a.depth > MAX_COMMISSION_LEVELS) continue;
    const beneficiary = await ctx.tx.member.findUniqueOrThrow({ where: { id: a.memberId } });
    const bonus = tierConfig(ctx.config, beneficiary.tier)?.benefits?.commissionBonusBps ?? 0;
    const amountFen = commissionAmount(ctx, order.lines, a.depth, bonus);
    if (amountFen <= 0) continue;
    const forfeitReason = beneficiary.frozen
      ? "account frozen"
      : !isDistributorAt(ctx.config, beneficiary, ctx.now)
        ? "not a distributor when the order was paid"
        : rules.unlockDeepLevelsAtDirects > 0 && a.depth >= 2 && beneficiary.qualifiedDirects < rules.unlockDeepLevelsAtDirects
        ? `needs ${rules.unlockDeepLevelsAtDirects} qualified directs to earn level ${a.depth}`
        : null;
    const [row] = await ctx.tx.commission.createManyAndReturn({
      data: [
        {
          orderId: order.id,
          beneficiaryId: a.memberId,
          level: a.depth,
          amountFen,
          status: forfeitReason ? "FORFEITED" : "PENDING",
          forfeitReason,
          createdAt: ctx.now,
          ruleVersionId: ctx.ruleVersionId ?? null,
        },
      ],
      skipDuplicates: true,
    });
    if (row && row.status === "PENDING") {
      await fromMerchant(ctx, `commission:${row.id}:accrue`, "commission_accrue", "merchant:commission", a.memberId, "pending", amountFen);
      await notify(ctx, a.memberId, "commission", "佣金待结算", `${LEVEL_WORD[a.depth] ?? `${a.depth} 级`}好友下单，佣金 ¥${fenToYuanString(amountFen)} 已计入待结算，订单完成后结算到账`);
      await recordKpiFact(ctx, `commission:${row.id}`, "commission", ctx.now, { deltas: { [`commissionL${a.depth}Fen`]: amountFen }, earnedFen: amountFen }, a.memberId);
    }
  }
}

/**
 * Moves the order's commissions forward as far as the facts allow: CONFIRMED once the order is
 * COMPLETED, SETTLED at T+1 of the confirmation. A hold on the buyer stops it; after the hold it
 * takes at once every step that fell due meanwhile (confirmation dated at the completion).
 */
export async function advanceCommissionsOfOrder(ctx: Ctx, orderId: number): Promise<void> {
  const order = await ctx.tx.order.findUnique({ where: { id: orderId }, include: { commissions: true } });
  if (!order || order.commissions.length === 0) return;
  if (await isHeld(ctx, order.memberId)) return;
  const tz = (await rulesOfVersion(ctx, order.ruleVersionId)).timeZone;
  for (const c of order.commissions) {
    let status = c.status;
    let confirmedAt = c.confirmedAt;
    if (status === "PENDING" && order.status === "COMPLETED" && order.completedAt) {
      confirmedAt = order.completedAt;
      status = "CONFIRMED";
      await ctx.tx.commission.update({ where: { id: c.id }, data: { status, confirmedAt } });
      await scheduleDue(ctx, "COMMISSION_SETTLE", order.id, nextLocalMidnight(confirmedAt, tz));
    }
    if (status === "CONFIRMED" && confirmedAt && ctx.now >= nextLocalMidnight(confirmedAt, tz)) {
      await ctx.tx.commission.update({ where: { id: c.id }, data: { status: "SETTLED", settledAt: ctx.now } });
      await move(ctx, `commission:${c.id}:settle`, "commission_settle", c.beneficiaryId, "pending", "available", c.amountFen);
      await notify(ctx, c.beneficiaryId, "commission", "佣金已结算", `订单 ${order.orderNo} 的 ${c.level} 级佣金 ¥${fenToYuanString(c.amountFen)} 已转入可提现余额`);
    }
  }
}

/** Unsettled commissions of the order become VOID; their pending money goes back. */
export async function voidCommissionsOfOrder(ctx: Ctx, orderId: number, reason: string): Promise<void> {
  const open = await ctx.tx.commission.findMany({ where: { orderId, status: { in: ["PENDING", "CONFIRMED"] } } });
  for (const c of open) {
    await ctx.tx.commission.update({ where: { id: c.id }, data: { status: "VOID", voidedAt: ctx.now, forfeitReason: reason } });
    await fromMerchant(ctx, `commission:${c.id}:void`, "commission_void", "merchant:commission", c.beneficiaryId, "pending", -c.amountFen);
  }
}
