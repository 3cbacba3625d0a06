// Who may earn 分销资格 (SPEC §4): `everyone` is a distributor from sign-up, `first_order` from their
// first paid order, `spend` once the goods of their paid, unrefunded orders reach a minimum at one of
// their payments. The status is stored (`distributorSince`) and never taken away by the engine; staff
// may suspend it (`distributorDisabledAt`, issue 9) and give it back, each with a reason, audited.
import { notify, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import type { MallConfig } from "../config/schema";
import { fenToYuanString } from "../money";

type MemberStatus = { distributorSince: Date | null; distributorDisabledAt: Date | null; createdAt: Date };

/** Orders counted for `spend`: paid and not refunded (PAID onwards, COMPLETED included). */
export const PAID_UNREFUNDED = ["PAID", "SHIPPED", "DELIVERED", "COMPLETED"] as const;

/** Is the member a distributor at instant `at` (default: now)? Under `everyone` every member is one from sign-up. */
export function isDistributorAt(config: MallConfig, m: MemberStatus, at: Date): boolean {
  if (m.distributorDisabledAt && m.distributorDisabledAt <= at) return false;
  if (m.distributorSince && m.distributorSince <= at) return true;
  return config.commission.distributorMode === "everyone" && m.createdAt <= at;
}

/** The status a new member starts with: `everyone` makes them a distributor at once. */
export function distributorSinceAtSignup(config: MallConfig, now: Date): Date | null {
  return config.commission.distributorMode === "everyone" ? now : null;
}

/** Sum of the goods amounts of the member's paid, unrefunded orders (the `spend` measure). */
export async function paidUnrefundedGoodsFen(ctx: Pick<Ctx, "tx">, memberId: number): Promise<number> {
  const r = await ctx.tx.order.aggregate({ where: { memberId, status: { in: [...PAID_UNREFUNDED] } }, _sum: { goodsFen: true } });
  return r._sum.goodsFen ?? 0;
}

/** Whether a payment (already counted as PAID) makes the member a distributor under the configured mode. */
export function qualifiesOnPayment(config: MallConfig, spentFen: number): boolean {
  const c = config.commission;
  if (c.distributorMode === "spend") return spentFen >= c.distributorMinSpendFen;
  return true; // everyone, first_order: any paid order qualifies
}

/**
 * At each of the member's payments (the order already PAID): records the distributor status when the
 * mode's condition holds now. Idempotent: an existing status is kept as it is. Returns true on a change.
 * `known`: the member's status as just read in this transaction.
 */
export async function updateDistributorOnPayment(ctx: Ctx, memberId: number, known?: { distributorSince: Date | null; createdAt: Date }): Promise<boolean> {
  const m = known ?? (await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { distributorSince: true, createdAt: true } }));
  if (m.distributorSince) return false;
  if (ctx.config.commission.distributorMode === "everyone") {
    // Signed up under another mode, then the merchant switched to `everyone`: one since sign-up, nothing new to tell.
    await ctx.tx.member.updateMany({ where: { id: memberId, distributorSince: null }, data: { distributorSince: m.createdAt } });
    return false;
  }
  const spent = ctx.config.commission.distributorMode === "spend" ? await paidUnrefundedGoodsFen(ctx, memberId) : 0;
  if (!qualifiesOnPayment(ctx.config, spent)) return false;
  const set = await ctx.tx.member.updateMany({ where: { id: memberId, distributorSince: null }, data: { distributorSince: ctx.now } });
  if (set.count === 0) return false;
  await notify(ctx, memberId, "distributor", "您已成为分销员", "推荐好友下单即可赚取佣金，快去推广中心分享吧");
  return true;
}

export interface DistributorProgress {
  mode: MallConfig["commission"]["distributorMode"];
  isDistributor: boolean;
  /** Suspended by the merchant: no payment gives the status back, only staff do. */
  disabled: boolean;
  since: Date | null;
  /** `spend` only: the minimum, what counts now and what is still missing (fen). */
  minSpendFen: number;
  spentFen: number;
  remainingFen: number;
}

/** What the promotion centre shows about the member's status, from the same rules the payment uses. */
export async function distributorProgress(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number): Promise<DistributorProgress> {
  const m = await ctx.tx.member.findUniqueOrThrow({ where: { id: memberId }, select: { distributorSince: true, distributorDisabledAt: true, createdAt: true } });
  const c = ctx.config.commission;
  const isDistributor = isDistributorAt(ctx.config, m, ctx.now);
  const spentFen = c.distributorMode === "spend" ? await paidUnrefundedGoodsFen(ctx, memberId) : 0;
  const minSpendFen = c.distributorMode === "spend" ? c.distributorMinSpendFen : 0;
  return {
    mode: c.distributorMode,
    isDistributor,
    disabled: m.distributorDisabledAt !== null,
    since: m.distributorSince ?? (isDistributor ? m.createdAt : null),
    minSpendFen,
    spentFen,
    // The status is set at a payment: with spending already ≥ the minimum (after refunds) one more order still makes it.
    remainingFen: isDistributor || m.distributorDisabledAt ? 0 : Math.max(0, minSpendFen - spentFen),
  };
}

/** "再消费 ¥12.30 即可成为分销员" in words, for notifications and logs (the UI words it per language). */
export function distributorHint(p: DistributorProgress): string {
  if (p.isDistributor) return "您已是分销员";
  if (p.disabled) return "分销资格已暂停，如有疑问请联系商家";
  if (p.mode === "first_order") return "完成首单即可成为分销员";
  return p.remainingFen > 0 ? `再消费 ¥${fenToYuanString(p.remainingFen)} 即可成为分销员` : "再完成一笔订单即可成为分销员";
}

/**
 * Staff suspend or give back a member's distributor status, with a reason (issue 9). While suspended
 * the member earns no commission (FORFEITED, SPEC §4) and no stepped bonus; binding, the matrix and
 * 推三返一 go on. Re-enabling restores what the mode gives them (their `distributorSince` is kept).
 * Setting the state it already has is refused, so a double click writes one audit entry.
 */
export async function setDistributorEnabled(ctx: Pick<Ctx, "tx" | "now">, memberId: number, enabled: boolean, reason: string, actor: StaffActor) {
  const why = reason.trim();
  if (why.length < 2 || why.length > 200) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  const m = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { distributorDisabledAt: true } });
  if (!m) refuse("MEMBER_NOT_FOUND", "会员不存在");
  const changed = await ctx.tx.member.updateMany({
    where: { id: memberId, distributorDisabledAt: enabled ? { not: null } : null },
    data: { distributorDisabledAt: enabled ? null : ctx.now },
  });
  if (changed.count === 0) refuse(enabled ? "DISTRIBUTOR_NOT_DISABLED" : "DISTRIBUTOR_ALREADY_DISABLED", enabled ? "该会员的分销资格未被停用" : "该会员的分销资格已停用");
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: enabled ? "member.distributor_enabled" : "member.distributor_disabled",
    target: `member:${memberId}`,
    before: { distributorDisabledAt: m.distributorDisabledAt },
    after: { distributorDisabledAt: enabled ? null : ctx.now },
    data: { reason: why },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  return { id: memberId, enabled };
}
