// Three-level distribution commission (三级分销, SPEC §4).
import { notifyMany, rulesOfVersion, type Ctx } from "../context";
import { ratesFor } from "../config/schema";
import { nextLocalMidnight } from "../clock/time";
import { applyBps, fenToYuanString } from "../money";
import { sponsorAncestors } from "../referral";
import { matrixAncestors } from "../matrix";
import { ancestorsWithRunningMoveSql } from "../members/sponsor-change";
import { anyHeldSql } from "../risk/flags";
import { postLedgerMany } from "../wallet/ledger";
import { scheduleDue } from "../scheduler/due";
import { tierConfig } from "../tiers";
import { isDistributorAt } from "../distribution";
import { kpiFactRow, recordKpiFacts } from "../kpi/facts";
import { Prisma } from "../db";
import type { CommissionModel, OrderModel } from "../db/generated/models";

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

interface Beneficiary {
  memberId: number;
  depth: number;
  tier: string;
  frozen: boolean;
  distributorSince: Date | null;
  distributorDisabledAt: Date | null;
  createdAt: Date;
  qualifiedDirects: number;
}

/** The commission ancestors with what decides their commission: one query in the sponsor tree. */
async function beneficiaries(ctx: Ctx, buyerId: number): Promise<Beneficiary[]> {
  if (ctx.config.commission.tree === "sponsor") {
    // A sponsor change being moved in batches pays its target upline from its start (not the closure rows left to move).
    return ctx.tx.$queryRaw<Beneficiary[]>`
      WITH c AS (${ancestorsWithRunningMoveSql(buyerId, MAX_COMMISSION_LEVELS)})
      SELECT c.id AS "memberId", c.depth, m.tier, m.frozen, m."distributorSince", m."distributorDisabledAt", m."createdAt", m."qualifiedDirects"
      FROM c JOIN "Member" m ON m.id = c.id
      ORDER BY c.depth`;
  }
  const ancestors = await commissionAncestors(ctx, buyerId);
  const members = await ctx.tx.member.findMany({
    where: { id: { in: ancestors.map((a) => a.memberId) } },
    select: { id: true, tier: true, frozen: true, distributorSince: true, distributorDisabledAt: true, createdAt: true, qualifiedDirects: true },
  });
  const byId = new Map(members.map((m) => [m.id, m]));
  return ancestors.flatMap((a) => {
    const m = byId.get(a.memberId);
    return m ? [{ ...m, memberId: a.memberId, depth: a.depth }] : [];
  });
}

/** A level's rate with the earner's tier bonus: a level the rules leave at 0 stays unpaid (a 2-level plan stays 2 levels). */
export function levelRateBps(rateBps: number, bonusBps: number): number {
  return rateBps > 0 ? rateBps + bonusBps : 0;
}

/** floor(lineGoods × rate / 10000) summed over lines, for one level (1-based). */
export function commissionAmount(ctx: Pick<Ctx, "config">, lines: PaidOrder["lines"], level: number, bonusBps = 0): number {
  return lines.reduce((sum, l) => sum + applyBps(l.goodsFen, levelRateBps(ratesFor(ctx.config, l.category)[level - 1] ?? 0, bonusBps)), 0);
}

/**
 * On PAID: one entry per earning ancestor; FORFEITED when frozen, not a distributor (SPEC §4) or
 * locked (unlock rule). Set-wise: the commissions, their ledger postings, notifications and KPI facts
 * are each one statement for all levels.
 */
export async function createCommissionsForPaidOrder(ctx: Ctx, order: PaidOrder): Promise<void> {
  const rules = ctx.config.commission;
  if (!rules.enabled) return;
  const rows = (await beneficiaries(ctx, order.memberId)).flatMap((b) => {
    if (b.memberId === order.memberId || b.depth > MAX_COMMISSION_LEVELS) return [];
    const bonus = tierConfig(ctx.config, b.tier)?.benefits?.commissionBonusBps ?? 0;
    const amountFen = commissionAmount(ctx, order.lines, b.depth, bonus);
    if (amountFen <= 0) return [];
    const forfeitReason = b.frozen
      ? "account frozen"
      : !isDistributorAt(ctx.config, b, ctx.now)
        ? "not a distributor when the order was paid"
        : rules.unlockDeepLevelsAtDirects > 0 && b.depth >= 2 && b.qualifiedDirects < rules.unlockDeepLevelsAtDirects
        ? `needs ${rules.unlockDeepLevelsAtDirects} qualified directs to earn level ${b.depth}`
        : null;
    return [
      {
        orderId: order.id,
        beneficiaryId: b.memberId,
        level: b.depth,
        amountFen,
        status: forfeitReason ? ("FORFEITED" as const) : ("PENDING" as const),
        forfeitReason,
        createdAt: ctx.now,
        ruleVersionId: ctx.ruleVersionId ?? null,
      },
    ];
  });
  if (rows.length === 0) return;
  const created = await ctx.tx.$queryRaw<{ id: number; beneficiaryId: number; level: number; amountFen: number; status: string }[]>`
    INSERT INTO "Commission" ("orderId", "beneficiaryId", level, "amountFen", status, "forfeitReason", "createdAt", "ruleVersionId")
    SELECT ${order.id}, b, l, a, s::"CommissionStatus", f, ${ctx.now}, ${ctx.ruleVersionId ?? null}::int
    FROM unnest(${rows.map((r) => r.beneficiaryId)}::int[], ${rows.map((r) => r.level)}::int[], ${rows.map((r) => r.amountFen)}::int[],
      ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.forfeitReason)}::text[]) WITH ORDINALITY AS x(b, l, a, s, f, ord)
    ORDER BY ord
    ON CONFLICT DO NOTHING RETURNING id, "beneficiaryId", level, "amountFen", status::text`;
  const pending = created.filter((r) => r.status === "PENDING").sort((a, b) => a.level - b.level);
  if (pending.length === 0) return;
  const posted = await postLedgerMany(
    ctx,
    pending.map((r) => ({
      key: `commission:${r.id}:accrue`,
      kind: "commission_accrue",
      legs: [
        { account: "merchant:commission" as const, amountFen: -r.amountFen },
        { member: r.beneficiaryId, bucket: "pending" as const, amountFen: r.amountFen },
      ],
    })),
    pending.map((r) => kpiFactRow(ctx, `commission:${r.id}`, "commission", ctx.now, { deltas: { [`commissionL${r.level}Fen`]: r.amountFen }, earnedFen: r.amountFen }, r.beneficiaryId)),
  );
  await notifyMany(
    ctx,
    pending
      .filter((r) => posted.has(`commission:${r.id}:accrue`))
      .map((r) => ({
        memberId: r.beneficiaryId,
        kind: "commission",
        title: "佣金待结算",
        body: `${LEVEL_WORD[r.level] ?? `${r.level} 级`}好友下单，佣金 ¥${fenToYuanString(r.amountFen)} 已计入待结算，订单完成后结算到账`,
        key: "commission.pending" as const,
        params: { level: r.level, amountFen: r.amountFen },
      })),
  );
}

/**
 * Moves the order's commissions forward as far as the facts allow: CONFIRMED once the order is
 * COMPLETED, SETTLED at T+1 of the confirmation. A hold on the buyer stops it; after the hold it
 * takes at once every step that fell due meanwhile (confirmation dated at the completion).
 */
export async function advanceCommissionsOfOrder(ctx: Ctx, orderId: number): Promise<void> {
  // The order, its commissions and whether its buyer is held, in one statement.
  const [order] = await ctx.tx.$queryRaw<
    (Pick<OrderModel, "id" | "memberId" | "orderNo" | "status" | "completedAt" | "ruleVersionId"> & {
      held: boolean;
      commissions: (Pick<CommissionModel, "id" | "beneficiaryId" | "level" | "amountFen" | "status"> & { confirmedAt: string | null })[];
    })[]
  >`
    SELECT o.id, o."memberId", o."orderNo", o.status::text AS status, o."completedAt", o."ruleVersionId", ${anyHeldSql(Prisma.sql`o."memberId"`)} AS held,
      COALESCE((SELECT json_agg(json_build_object('id', c.id, 'beneficiaryId', c."beneficiaryId", 'level', c.level, 'amountFen', c."amountFen",
        'status', c.status, 'confirmedAt', c."confirmedAt") ORDER BY c.id) FROM "Commission" c WHERE c."orderId" = o.id), '[]'::json) AS commissions
    FROM "Order" o WHERE o.id = ${orderId}`;
  if (!order || order.commissions.length === 0 || order.held) return;
  const commissions = order.commissions.map((c) => ({ ...c, confirmedAt: c.confirmedAt === null ? null : new Date(c.confirmedAt) }));
  const tz = (await rulesOfVersion(ctx, order.ruleVersionId)).timeZone;
  // Each step for all of the order's commissions at once: a few statements whatever their number.
  const pending = commissions.filter((c) => c.status === "PENDING");
  if (pending.length > 0 && order.status === "COMPLETED" && order.completedAt) {
    const confirmedAt = order.completedAt;
    await ctx.tx.$executeRaw`UPDATE "Commission" SET status = 'CONFIRMED', "confirmedAt" = ${confirmedAt} WHERE id = ANY(${pending.map((c) => c.id)}::int[]) AND status = 'PENDING'`;
    await scheduleDue(ctx, "COMMISSION_SETTLE", order.id, nextLocalMidnight(confirmedAt, tz));
    for (const c of pending) Object.assign(c, { status: "CONFIRMED", confirmedAt });
  }
  const due = commissions.filter((c) => c.status === "CONFIRMED" && c.confirmedAt && ctx.now >= nextLocalMidnight(c.confirmedAt, tz));
  if (due.length === 0) return;
  await ctx.tx.$executeRaw`UPDATE "Commission" SET status = 'SETTLED', "settledAt" = ${ctx.now} WHERE id = ANY(${due.map((c) => c.id)}::int[]) AND status = 'CONFIRMED'`;
  await postLedgerMany(
    ctx,
    due.map((c) => ({
      key: `commission:${c.id}:settle`,
      kind: "commission_settle",
      legs: [
        { member: c.beneficiaryId, bucket: "pending" as const, amountFen: -c.amountFen },
        { member: c.beneficiaryId, bucket: "available" as const, amountFen: c.amountFen },
      ],
    })),
  );
  await notifyMany(
    ctx,
    due.map((c) => ({ memberId: c.beneficiaryId, kind: "commission", title: "佣金已结算", body: `订单 ${order.orderNo} 的 ${c.level} 级佣金 ¥${fenToYuanString(c.amountFen)} 已转入可提现余额`, key: "commission.settled" as const, params: { orderNo: order.orderNo, level: c.level, amountFen: c.amountFen } })),
  );
}

/**
 * Unsettled commissions of the orders become VOID; their pending money goes back. One status update and one
 * posting for all of them: the posting locks the wallets by member id, as a payment's does (a posting per level
 * locked L1's wallet before L2's, and deadlocked a payment to the same upline; a posting per order, a risk
 * rejection's, did the same across orders). `alsoLock`: wallets the caller posts to next (推三返一), locked with
 * these in one member-id order, before any task. The update's status guard makes a second void change nothing.
 */
export async function voidCommissionsOfOrders(ctx: Ctx, orderIds: number[], reason: string, alsoLock: number[] = []): Promise<void> {
  const voided = orderIds.length === 0 ? [] : await ctx.tx.$queryRaw<Pick<CommissionModel, "id" | "beneficiaryId" | "amountFen" | "createdAt">[]>`
    UPDATE "Commission" SET status = 'VOID', "voidedAt" = ${ctx.now}, "forfeitReason" = ${reason}
    WHERE "orderId" = ANY(${orderIds}::int[]) AND status IN ('PENDING', 'CONFIRMED')
    RETURNING id, "beneficiaryId", "amountFen", "createdAt"`;
  if (alsoLock.length > 0) {
    const wallets = [...new Set([...voided.map((c) => c.beneficiaryId), ...alsoLock])];
    await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ANY(${wallets}::int[]) ORDER BY "memberId" FOR NO KEY UPDATE`;
  }
  if (voided.length === 0) return;
  voided.sort((a, b) => a.id - b.id);
  const posted = await postLedgerMany(
    ctx,
    voided.map((c) => ({
      key: `commission:${c.id}:void`,
      kind: "commission_void",
      legs: [
        { account: "merchant:commission" as const, amountFen: c.amountFen },
        { member: c.beneficiaryId, bucket: "pending" as const, amountFen: -c.amountFen },
      ],
    })),
  );
  // KPI leaderboard (issue 11): taken back from its day of accrual, once (with the void's ledger key); levels keep it.
  await recordKpiFacts(
    ctx,
    voided
      .filter((c) => posted.has(`commission:${c.id}:void`))
      .map((c) => kpiFactRow(ctx, `commission:${c.id}:void`, "commission_void", c.createdAt, { deltas: {}, earnedFen: -c.amountFen }, c.beneficiaryId)),
  );
}

/** voidCommissionsOfOrders for one order (a refund). */
export function voidCommissionsOfOrder(ctx: Ctx, orderId: number, reason: string): Promise<void> {
  return voidCommissionsOfOrders(ctx, [orderId], reason);
}
