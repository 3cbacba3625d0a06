// Three-level distribution commission (三级分销, SPEC §4).
import { notifyMany, rulesOfVersion, type Ctx, type Notice } from "../context";
import { ratesFor } from "../config/schema";
import { nextLocalMidnight } from "../clock/time";
import { applyBps } from "../money";
import { matrixAncestorsSql } from "../matrix";
import { ancestorsWithRunningMoveSql } from "../members/sponsor-change";
import { anyHeldSql, buyerHoldShownTo } from "../risk/flags";
import { postLedgerMany } from "../wallet/ledger";
import { scheduleDuesCtes } from "../scheduler/due";
import { tierConfig } from "../tiers";
import { isDistributorAt } from "../distribution";
import { kpiFactRow, recordKpiFacts } from "../kpi/facts";
import { Prisma } from "../db";
import type { CommissionModel, OrderModel } from "../db/generated/models";
import type { NoticeKey } from "@/lib/i18n/messages/notices.zh-CN";

/** Compliance red line: never more than three levels. */
export const MAX_COMMISSION_LEVELS = 3;

interface PaidOrder {
  id: number;
  memberId: number;
  lines: { goodsFen: number; category: string }[];
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
  deletedAt: Date | null;
}

/**
 * The commission ancestors of a buyer (depth 1..3) in the configured tree, as rows (id, depth) of a subquery. A sponsor
 * change being moved in batches pays its target upline from its start (not the closure rows left to move).
 */
export function commissionAncestorsSql(ctx: Pick<Ctx, "config">, buyerId: number): Prisma.Sql {
  return ctx.config.commission.tree === "matrix" ? matrixAncestorsSql(buyerId, MAX_COMMISSION_LEVELS) : ancestorsWithRunningMoveSql(buyerId, MAX_COMMISSION_LEVELS);
}

/**
 * The commission ancestors with what decides their commission, nearest first: one query in either tree. Each Member row
 * by key (LATERAL … LIMIT 1): a join planned on the walk's estimate of its rows, without statistics, scanned every member.
 * Each is locked (key share, nearest first, as the commissions' foreign keys lock them next) and so read as last
 * committed: an upline's account deletion (FOR UPDATE) committing meanwhile is seen frozen, not given a PENDING entry.
 */
async function beneficiaries(ctx: Ctx, buyerId: number): Promise<Beneficiary[]> {
  return ctx.tx.$queryRaw<Beneficiary[]>`
    WITH c AS (${commissionAncestorsSql(ctx, buyerId)})
    SELECT c.id AS "memberId", c.depth, m.*
    FROM (SELECT * FROM c ORDER BY depth) c CROSS JOIN LATERAL (
      SELECT tier, frozen, "distributorSince", "distributorDisabledAt", "createdAt", "qualifiedDirects", "deletedAt" FROM "Member" WHERE id = c.id LIMIT 1 FOR KEY SHARE) m
    ORDER BY c.depth`;
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
 * are each one statement for all levels. The ledger statement locks the wallets the postings move and
 * `alsoLock`'s (a subquery of member ids the payment posts to next: the 推三返一 inviter's,
 * inviterWalletSql) in one member-id order, as a refund's void locks them.
 */
export async function createCommissionsForPaidOrder(ctx: Ctx, order: PaidOrder, alsoLock?: Prisma.Sql): Promise<void> {
  const rules = ctx.config.commission;
  if (!rules.enabled) return;
  const rows = (await beneficiaries(ctx, order.memberId)).flatMap((b) => {
    if (b.memberId === order.memberId || b.depth > MAX_COMMISSION_LEVELS) return [];
    const bonus = tierConfig(ctx.config, b.tier)?.benefits?.commissionBonusBps ?? 0;
    const amountFen = commissionAmount(ctx, order.lines, b.depth, bonus);
    if (amountFen <= 0) return [];
    const locked = rules.unlockDeepLevelsAtDirects > 0 && b.depth >= 2 && b.qualifiedDirects < rules.unlockDeepLevelsAtDirects;
    // Suspended by staff is not "not a distributor" (isDistributorAt says false for both): the shopper is told which.
    const [forfeitReason, forfeitKey]: [string | null, NoticeKey | null] = b.frozen
      ? ["account frozen", "commission.forfeited.frozen"]
      : b.distributorDisabledAt !== null && b.distributorDisabledAt <= ctx.now
        ? ["distributor suspended", "commission.forfeited.suspended"]
        : !isDistributorAt(ctx.config, b, ctx.now)
          ? ["not a distributor when the order was paid", "commission.forfeited.notDistributor"]
          : locked
            ? [`needs ${rules.unlockDeepLevelsAtDirects} qualified directs to earn level ${b.depth}`, "commission.forfeited.locked"]
            : [null, null];
    return [
      {
        orderId: order.id,
        beneficiaryId: b.memberId,
        level: b.depth,
        amountFen,
        status: forfeitReason ? ("FORFEITED" as const) : ("PENDING" as const),
        forfeitReason,
        // A deleted account (seen frozen) is told nothing.
        forfeitKey: b.deletedAt ? null : forfeitKey,
        createdAt: ctx.now,
        ruleVersionId: ctx.ruleVersionId ?? null,
      },
    ];
  });
  if (rows.length === 0) return;
  // The beneficiaries' Member rows are held (key share, by beneficiaries()) before any wallet: the wallets come next, in
  // the ledger statement, as a payment's own first statement takes its Member row first.
  // `held`: the buyer is under risk review (SPEC §8) as the commissions are made, read by the same statement (a flag
  // this payment raised included): a held commission's level-1 notice says it is 审核中 (buyerHoldShownTo).
  const created = await ctx.tx.$queryRaw<{ id: number; beneficiaryId: number; level: number; amountFen: number; status: string; held: boolean }[]>`
    INSERT INTO "Commission" ("orderId", "beneficiaryId", level, "amountFen", status, "forfeitReason", "createdAt", "ruleVersionId")
    SELECT ${order.id}, b, l, a, s::"CommissionStatus", f, ${ctx.now}, ${ctx.ruleVersionId ?? null}::int
    FROM unnest(${rows.map((r) => r.beneficiaryId)}::int[], ${rows.map((r) => r.level)}::int[], ${rows.map((r) => r.amountFen)}::int[],
      ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.forfeitReason)}::text[]) WITH ORDINALITY AS x(b, l, a, s, f, ord)
    ORDER BY ord
    ON CONFLICT DO NOTHING RETURNING id, "beneficiaryId", level, "amountFen", status::text, ${anyHeldSql(Prisma.sql`${order.memberId}::int`)} AS held`;
  // Only rows this insert wrote (ON CONFLICT DO NOTHING): a payment handled twice tells nothing twice.
  const keyOfLevel = new Map(rows.map((r) => [r.level, r.forfeitKey]));
  const forfeited = created
    .filter((r) => r.status === "FORFEITED")
    .sort((a, b) => a.level - b.level)
    .flatMap((r): Notice[] => {
      const key = keyOfLevel.get(r.level);
      if (!key) return [];
      const params = { level: r.level, amountFen: r.amountFen };
      return [{ memberId: r.beneficiaryId, kind: "commission_lost", key, params: key === "commission.forfeited.locked" ? { ...params, n: rules.unlockDeepLevelsAtDirects } : params }];
    });
  const pending = created.filter((r) => r.status === "PENDING").sort((a, b) => a.level - b.level);
  // Nothing to post: the ledger (and alsoLock's wallets) left alone, as before forfeits were told.
  const posted = pending.length === 0 ? new Set<string>() : await postLedgerMany(
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
    // The inviter's wallet with the earners' (a matrix upline, or a forfeiting sponsor, need not hold it): locked after them, a payment or a refund crediting both deadlocked.
    alsoLock,
  );
  await notifyMany(
    ctx,
    pending
      .filter((r) => posted.has(`commission:${r.id}:accrue`))
      .map((r): Notice => ({
        memberId: r.beneficiaryId,
        // Not "commission": that kind goes out on WeChat's commission-settled template, spending the member's one-time subscription.
        kind: "commission_pending",
        key: r.held && buyerHoldShownTo(r.level) ? "commission.pendingHeld" : "commission.pending",
        params: { level: r.level, amountFen: r.amountFen },
      }))
      .concat(forfeited),
  );
}

/**
 * Runs `update`, an UPDATE of Commission returning at least `id` and `beneficiaryId`, and locks in the same statement the
 * wallets of the updated rows' beneficiaries and of `alsoLock` (a subquery of member ids), in member-id order: the
 * Commission rows first, then the wallets, as a payment's posting takes them. Returns the updated rows.
 */
async function updateLockingWallets<T extends { id: number; beneficiaryId: number }>(ctx: Ctx, update: Prisma.Sql, alsoLock?: Prisma.Sql): Promise<T[]> {
  // The count of k joined first: k runs (and, through its array, all of v) even when v updates nothing.
  const rows = await ctx.tx.$queryRaw<(T | { [K in keyof T]: null })[]>`
    WITH v AS (${update}), k AS MATERIALIZED (
      SELECT "memberId" FROM "Wallet" WHERE "memberId" = ANY(ARRAY(SELECT "beneficiaryId" FROM v${alsoLock ? Prisma.sql` UNION ALL ${alsoLock}` : Prisma.empty}))
      ORDER BY "memberId" FOR NO KEY UPDATE
    )
    SELECT v.* FROM (SELECT count(*) FROM k) l LEFT JOIN v ON true`;
  return rows.filter((r): r is T => r.id !== null);
}

/**
 * For an update of Commission `c` joined to its Order `o`: the buyer has no open flag (SPEC §8). Read by the update's own
 * snapshot, so a hold committed after advanceCommissionsOfOrders read the orders, before the update, stops it.
 */
const buyerNotHeldSql = Prisma.sql`NOT ${anyHeldSql(Prisma.sql`o."memberId"`)}`;

type AdvancingOrder = Pick<OrderModel, "id" | "memberId" | "orderNo" | "status" | "completedAt" | "ruleVersionId"> & {
  held: boolean;
  commissions: (Pick<CommissionModel, "id" | "beneficiaryId" | "level" | "amountFen" | "status"> & { confirmedAt: string | null })[];
};

/**
 * Moves the order's commissions forward as far as the facts allow: CONFIRMED once the order is
 * COMPLETED, SETTLED at T+1 of the confirmation. A hold on the buyer stops it; after the hold it
 * takes at once every step that fell due meanwhile (confirmation dated at the completion).
 */
export function advanceCommissionsOfOrder(ctx: Ctx, orderId: number): Promise<void> {
  return advanceCommissionsOfOrders(ctx, [orderId]);
}

/**
 * advanceCommissionsOfOrder for several orders, each step one statement for all of them: the settlement locks its
 * wallets, and `alsoLock`'s (a subquery of member ids the caller posts to next, 推三返一), in one member-id order (order
 * by order, a risk approval locked one order's wallets before another's smaller ids and deadlocked a payment).
 */
export async function advanceCommissionsOfOrders(ctx: Ctx, orderIds: number[], alsoLock?: Prisma.Sql): Promise<void> {
  // The orders, their commissions and whether their buyers are held, in one statement. A hold committed after it is
  // seen by the updates below, each of which checks it again (buyerNotHeldSql).
  const orders = orderIds.length === 0 ? [] : await ctx.tx.$queryRaw<AdvancingOrder[]>`
    SELECT o.id, o."memberId", o."orderNo", o.status::text AS status, o."completedAt", o."ruleVersionId", ${anyHeldSql(Prisma.sql`o."memberId"`)} AS held,
      COALESCE((SELECT json_agg(json_build_object('id', c.id, 'beneficiaryId', c."beneficiaryId", 'level', c.level, 'amountFen', c."amountFen",
        'status', c.status, 'confirmedAt', c."confirmedAt") ORDER BY c.id) FROM "Commission" c WHERE c."orderId" = o.id), '[]'::json) AS commissions
    FROM "Order" o WHERE o.id = ANY(${orderIds}::int[]) ORDER BY o.id`;
  const zones = new Map<number | null, string>();
  const confirming: number[] = [];
  const settleDues: { kind: "COMMISSION_SETTLE"; refId: number; dueAt: Date }[] = [];
  const due: { id: number; beneficiaryId: number; level: number; amountFen: number; orderNo: string }[] = [];
  for (const order of orders) {
    if (order.commissions.length === 0 || order.held) continue;
    const commissions = order.commissions.map((c) => ({ ...c, confirmedAt: c.confirmedAt === null ? null : new Date(c.confirmedAt) }));
    const tz = zones.get(order.ruleVersionId) ?? (await rulesOfVersion(ctx, order.ruleVersionId)).timeZone;
    zones.set(order.ruleVersionId, tz);
    const pending = commissions.filter((c) => c.status === "PENDING");
    if (pending.length > 0 && order.status === "COMPLETED" && order.completedAt) {
      const confirmedAt = order.completedAt;
      confirming.push(...pending.map((c) => c.id));
      settleDues.push({ kind: "COMMISSION_SETTLE", refId: order.id, dueAt: nextLocalMidnight(confirmedAt, tz) });
      for (const c of pending) Object.assign(c, { status: "CONFIRMED", confirmedAt });
    }
    for (const c of commissions) {
      if (c.status === "CONFIRMED" && c.confirmedAt && ctx.now >= nextLocalMidnight(c.confirmedAt, tz)) due.push({ ...c, orderNo: order.orderNo });
    }
  }
  if (confirming.length > 0) {
    // Each confirmed at its order's completion (the order read above), and its settlement scheduled, in one statement.
    await ctx.tx.$executeRaw`WITH confirmed AS (
      UPDATE "Commission" c SET status = 'CONFIRMED', "confirmedAt" = o."completedAt" FROM "Order" o
      WHERE c.id = ANY(${confirming}::int[]) AND c.status = 'PENDING' AND o.id = c."orderId" AND ${buyerNotHeldSql} RETURNING c.id
    ), ${scheduleDuesCtes(ctx, settleDues)}
    SELECT count(*) FROM confirmed`; // read by the main query: the commissions are locked before the due rows are written
  }
  if (due.length === 0 && !alsoLock) return;
  const updated = await updateLockingWallets<{ id: number; beneficiaryId: number }>(ctx, Prisma.sql`UPDATE "Commission" c SET status = 'SETTLED', "settledAt" = ${ctx.now}
    FROM "Order" o WHERE c.id = ANY(${due.map((c) => c.id)}::int[]) AND c.status = 'CONFIRMED' AND o.id = c."orderId" AND ${buyerNotHeldSql}
    RETURNING c.id, c."beneficiaryId"`, alsoLock);
  // Only what this update settled: one voided since the read above (a refund, an account deletion), or whose buyer was held meanwhile, pays nothing.
  const settledIds = new Set(updated.map((c) => c.id));
  const settled = due.filter((c) => settledIds.has(c.id));
  if (settled.length === 0) return;
  await postLedgerMany(
    ctx,
    settled.map((c) => ({
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
    // Only a level-1 earner invited the buyer: a level-2/3 notice names no order (PIPL), as their commission rows do.
    settled.map((c): Notice =>
      c.level === 1
        ? { memberId: c.beneficiaryId, kind: "commission", key: "commission.settled" as const, params: { orderNo: c.orderNo, level: c.level, amountFen: c.amountFen } }
        : { memberId: c.beneficiaryId, kind: "commission", key: "commission.settledTeam" as const, params: { level: c.level, amountFen: c.amountFen } },
    ),
  );
}

/**
 * Unsettled commissions of the orders become VOID; their pending money goes back. One status update, which locks
 * their wallets and `alsoLock`'s (a subquery of member ids: wallets the caller posts to next, store credit, 推三返一)
 * in one member-id order before any task, and one posting for all of them: as a payment's posting locks them (a
 * posting per level locked L1's wallet before L2's, and deadlocked a payment to the same upline; a posting per order,
 * a risk rejection's, did the same across orders; a refund's credit back before the void, and its task steps after,
 * likewise). The update's status guard makes a second void change nothing.
 */
export function voidCommissionsOfOrders(ctx: Ctx, orderIds: number[], reason: keyof typeof VOID_NOTICE, alsoLock: Prisma.Sql): Promise<void> {
  return voidCommissionsWhere(ctx, Prisma.sql`"orderId" = ANY(${orderIds}::int[])`, reason, alsoLock);
}

type VoidNotice = { one: NoticeKey; many: NoticeKey };

/**
 * What an earner is told of commissions voided for a reason: one of them (with its level), or several (how many). A
 * level-2/3 earner did not invite the buyer, so `team` words a reason that is the buyer's own business neutrally (PIPL).
 */
const VOID_NOTICE = {
  "order refunded": { one: "commission.voided.refunded", many: "commission.voidedMany.refunded" },
  "risk review rejected": {
    one: "commission.voided.riskRejected", many: "commission.voidedMany.riskRejected",
    team: { one: "commission.voided.team", many: "commission.voidedMany.team" },
  },
} as const satisfies Record<string, VoidNotice & { team?: VoidNotice }>;

/** A deleted account's own unsettled commissions (server/members/deletion.ts); its uplines' on the same orders stand. Nobody is told: the account is gone. */
export function voidCommissionsOfBeneficiary(ctx: Ctx, memberId: number, reason: string): Promise<void> {
  return voidCommissionsWhere(ctx, Prisma.sql`"beneficiaryId" = ${memberId}`, reason);
}

/** Voids the unsettled (PENDING, CONFIRMED) commissions `which` selects: each posted back from its earner's pending bucket, once. */
async function voidCommissionsWhere(ctx: Ctx, which: Prisma.Sql, reason: string, alsoLock?: Prisma.Sql): Promise<void> {
  const voided = await updateLockingWallets<Pick<CommissionModel, "id" | "beneficiaryId" | "level" | "amountFen" | "createdAt">>(ctx, Prisma.sql`
    UPDATE "Commission" SET status = 'VOID', "voidedAt" = ${ctx.now}, "forfeitReason" = ${reason}
    WHERE ${which} AND status IN ('PENDING', 'CONFIRMED')
    RETURNING id, "beneficiaryId", level, "amountFen", "createdAt"`, alsoLock);
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
  const notice = (VOID_NOTICE as Record<string, (VoidNotice & { team?: VoidNotice }) | undefined>)[reason];
  if (!notice) return;
  // One notice per earner for what this void posted (a second void posts nothing): a risk rejection voids several orders at once.
  const byEarner = new Map<number, typeof voided>();
  for (const c of voided) if (posted.has(`commission:${c.id}:void`)) byEarner.set(c.beneficiaryId, [...(byEarner.get(c.beneficiaryId) ?? []), c]);
  await notifyMany(
    ctx,
    [...byEarner].map(([memberId, cs]): Notice => {
      // Any level-2/3 entry among them (levels can differ after a sponsor change) and the notice is the neutral one.
      const words = cs.every((c) => c.level === 1) ? notice : (notice.team ?? notice);
      return {
        memberId,
        kind: "commission_lost",
        key: cs.length === 1 ? words.one : words.many,
        params: cs.length === 1 ? { level: cs[0]!.level, amountFen: cs[0]!.amountFen } : { count: cs.length, amountFen: cs.reduce((sum, c) => sum + c.amountFen, 0) },
      };
    }),
  );
}
