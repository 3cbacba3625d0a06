// The shopper's promotion centre (推广中心) and wallet, read side. Statuses and amounts come from
// the same view functions the scenario output uses.
import type { Db } from "../db";
import type { MallConfig } from "../config/schema";
import { buyerHoldShownTo, heldMembers } from "../risk/flags";
import { TASK_LABEL, COMMISSION_LABEL, taskDisplayStatus, taskAmountFen, taskEndReason, commissionDisplayStatus } from "../rebate/view";
import { downlineByDepth } from "../referral";
import { matrixView } from "../matrix";
import { walletOf } from "../wallet/ledger";
import { displayNameOf, maskDisplayName } from "../members/profile";
import { rebateFor } from "../experiments";
import { categoriesOnSale, commissionRateOffer } from "./rates";
import { TASK_PIPELINE, rebateOfferText } from "./view";

/** A member as other members see them: the one masking rule (server/members/profile.ts) on their display name. */
export function maskMemberName(m: { nickname: string | null; username: string }): string {
  return maskDisplayName(m.nickname || m.username);
}

/**
 * Whether the member's share link is handed out (link, QR code, poster, share card): not while frozen, since a frozen
 * member's link binds nobody and they earn nothing new from it (SPEC §8; server/referral registerMember).
 */
export function sharesLink(member: { frozen: boolean }): boolean {
  return !member.frozen;
}

/**
 * The promotion centre's header: code, the shopper's own offer (their experiment variant's, as their next order's task),
 * the link funnel. A frozen member is promised nothing (SPEC §5, §8: their orders open no task, a friend's purchase earns
 * them nothing): `rebate`, `offer` and `shareRebate` are null and `commission.enabled` false; their history stays.
 */
export async function promotionOverview(db: Db, config: MallConfig, memberId: number, now: Date) {
  const [member, funnel, rebate, onSale] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { id: true, referralCode: true, nickname: true, frozen: true, tier: true, qualifiedDirects: true } }),
    myFunnel(db, memberId),
    rebateFor(db, config, memberId, now),
    categoriesOnSale(db),
  ]);
  // A frozen member earns nothing new (FORFEITED) and their new orders open no task.
  const earns = !member.frozen;
  return {
    referralCode: member.referralCode,
    displayName: displayNameOf(member),
    frozen: member.frozen,
    tier: member.tier,
    tierLabel: config.tiers.find((t) => t.name === member.tier)?.label ?? member.tier,
    rebate: earns ? { enabled: rebate.enabled, n: rebate.n, percent: rebate.percent, windowDays: rebate.windowDays, capFen: rebate.capFen, minAnchorFen: rebate.minAnchorFen, payout: rebate.payout } : null,
    /** What the share card promises a friend opening the link: the rules in force, as the landing shows a visitor (their variant is unknown until they sign up); null: no link to share. */
    shareRebate: sharesLink(member)
      ? { enabled: config.rebate.enabled, n: config.rebate.n, percent: config.rebate.percent, windowDays: config.rebate.windowDays, capFen: config.rebate.capFen, minAnchorFen: config.rebate.minAnchorFen, payout: config.rebate.payout }
      : null,
    /** The rates this member would earn now, as maxima when categories differ (server/promotion/rates); not enabled for one who would earn none. */
    commission: { enabled: config.commission.enabled && earns, ...commissionRateOffer(config, member, onSale) },
    offer: earns ? rebateOfferText(rebate) : null,
    pipeline: TASK_PIPELINE,
    funnel,
  };
}

/** How many 推三返一 tasks the promotion centre lists: the newest (a task's cashback on the way is in the wallet too). */
export const REBATE_TASKS_SHOWN = 50;

export async function myRebateTasks(db: Db, memberId: number, now = new Date(), take = REBATE_TASKS_SHOWN) {
  const tasks = await db.rebateTask.findMany({
    where: { memberId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take,
    // Removed invitees too, listed as not counting (已退款，不计入): a refund that silently took a friend off read as a lost count.
    include: { assignments: { orderBy: { id: "asc" } } },
  });
  const inviteeIds = tasks.flatMap((t) => t.assignments.map((a) => a.inviteeId));
  const [invitees, orders, anchors, held] = await Promise.all([
    db.member.findMany({ where: { id: { in: inviteeIds } }, select: { id: true, nickname: true, username: true } }),
    db.order.findMany({ where: { id: { in: tasks.flatMap((t) => t.assignments.map((a) => a.orderId)) } }, select: { id: true, status: true } }),
    db.order.findMany({ where: { id: { in: tasks.map((t) => t.anchorOrderId) } }, select: { id: true, orderNo: true, goodsFen: true, status: true } }),
    heldMembers({ tx: db }, [memberId, ...inviteeIds]),
  ]);
  const who = new Map(invitees.map((m) => [m.id, m]));
  const orderStatus = new Map(orders.map((o) => [o.id, o.status]));
  const anchor = new Map(anchors.map((o) => [o.id, o]));
  return tasks.map((t) => {
    const counted = t.assignments.filter((a) => a.removedAt === null);
    const status = taskDisplayStatus(t.status, held.has(t.memberId) || counted.some((a) => held.has(a.inviteeId)));
    return {
      id: t.id,
      anchorOrderNo: anchor.get(t.anchorOrderId)?.orderNo ?? "",
      anchorGoodsFen: anchor.get(t.anchorOrderId)?.goodsFen ?? 0,
      anchorStatus: anchor.get(t.anchorOrderId)?.status ?? null,
      cashbackFen: t.cashbackFen,
      amountFen: taskAmountFen(t),
      payout: t.payout,
      n: t.n,
      invited: counted.length,
      missing: Math.max(0, t.n - counted.length),
      status,
      label: TASK_LABEL[status],
      reason: status === "ON_HOLD" ? "风控审核中，审核通过后继续" : taskEndReason(t),
      /** The engine's end reason code, for wording the reason in another language. */
      endReason: t.endReason,
      createdAt: t.createdAt,
      deadline: t.deadline,
      msLeft: t.status === "OPEN" ? Math.max(0, t.deadline.getTime() - now.getTime()) : 0,
      paidAt: t.paidAt,
      invitees: t.assignments.map((a) => ({
        name: maskMemberName(who.get(a.inviteeId) ?? { nickname: null, username: "?" }),
        orderStatus: orderStatus.get(a.orderId) ?? null,
        assignedAt: a.assignedAt,
        removed: a.removedAt !== null,
        /** Why it no longer counts: "refunded" (its first order), else "notCounted" (a review's outcome is that member's own business). */
        removedReason: a.removedAt === null ? null : a.removedWhy === "first order refunded" ? ("refunded" as const) : ("notCounted" as const),
      })),
    };
  });
}

export async function myTeam(db: Db, config: MallConfig, memberId: number) {
  const ctx = { tx: db, config };
  const [member, byDepth, matrix] = await Promise.all([
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { qualifiedDirects: true, teamSize: true, tier: true } }),
    downlineByDepth(ctx, memberId, 10),
    matrixView(ctx, memberId, 10),
  ]);
  // SPEC §3/§4: the matrix is always shown; its seats earn only under commission.tree = "matrix" (null: no commissions at all).
  const c = config.commission;
  const matrixInfo = { width: config.matrix.width, commissionsFollow: c.enabled ? c.tree : null };
  return { tier: member.tier, qualifiedDirects: member.qualifiedDirects, teamSize: member.teamSize, byDepth, matrix, matrixInfo };
}

/** Funnel of the member's link: visits → sign-ups (bound directs) → first orders. */
export async function myFunnel(db: Db, memberId: number) {
  const [visits, signups, firstOrders] = await Promise.all([
    db.referralVisit.count({ where: { memberId } }),
    db.member.count({ where: { sponsorId: memberId } }),
    db.member.count({ where: { sponsorId: memberId, firstPaidOrderId: { not: null } } }),
  ]);
  return { visits, signups, firstOrders };
}

/**
 * The member's commission entries, newest first. Only a level-1 entry names the order and its (masked) buyer, the
 * member's own invitee: a level-2 or 3 buyer was invited by someone else, so neither is sent for them (PIPL).
 */
export async function myCommissions(db: Db, memberId: number, take = 50) {
  const rows = await db.commission.findMany({
    where: { beneficiaryId: memberId },
    orderBy: { createdAt: "desc" },
    take,
    include: { order: { select: { orderNo: true, memberId: true, member: { select: { nickname: true, username: true } } } } },
  });
  const held = await heldMembers({ tx: db }, rows.filter((r) => buyerHoldShownTo(r.level)).map((r) => r.order.memberId));
  return rows.map((c) => {
    const direct = c.level === 1;
    const status = commissionDisplayStatus(c.status, buyerHoldShownTo(c.level) && held.has(c.order.memberId));
    return {
      id: c.id,
      orderNo: direct ? c.order.orderNo : null,
      buyer: direct ? maskMemberName(c.order.member) : null,
      level: c.level,
      amountFen: c.amountFen,
      status,
      label: COMMISSION_LABEL[status],
      // A level-2/3 buyer's failed review is theirs (PIPL): that row reads 已作废 alone, as a void with no reason given.
      reason: direct || c.forfeitReason !== "risk review rejected" ? c.forfeitReason : null,
      createdAt: c.createdAt,
      settledAt: c.settledAt,
    };
  });
}

const KIND_LABEL: Record<string, string> = {
  commission_accrue: "佣金入账（待结算）",
  commission_settle: "佣金结算",
  commission_void: "佣金作废",
  rebate_accrue: "推三返一达成（待发放）",
  rebate_pay: "推三返一返现到账",
  rebate_reverse: "推三返一回退",
  rebate_void: "推三返一作废",
  team_bonus: "团队绩效",
  step_bonus: "阶梯奖励",
  withdrawal_hold: "提现申请",
  withdrawal_release: "提现退回",
  withdrawal_paid: "提现到账",
  credit_redeem: "购物金抵扣",
  credit_return: "购物金退回",
  withdrawal_fee: "提现手续费",
  withdrawal_fee_refund: "提现手续费退回",
  manual_adjustment: "账户调整",
};

/**
 * What a ledger transaction was for, from its key (`commission:<id>:…`, `rebate:<task>:…`, `order:<id>:…`,
 * `withdrawal:<id>:…`, `team_bonus:<member>:<month>…`): the order and, for a level-1 commission, whose order it was
 * (masked, as 佣金明细 names it); a level-2 or 3 commission names neither (PIPL, as myCommissions), only its level. A
 * 推三返一 reversal names the friend who no longer counts, as 推三返一 lists them.
 */
export interface HistoryRef {
  orderNo: string | null;
  /** A level-1 commission's buyer, masked (maskMemberName). */
  buyer: string | null;
  /** A commission's level (1 direct, 2 or 3 team). */
  level: number | null;
  /** A 推三返一 reversal's friend, masked. */
  friend: string | null;
  payoutNo: string | null;
  /** A monthly bonus's month ("2026-11"). */
  month: string | null;
}

type EntryRow = {
  id: number; txnId: number; bucket: string | null; amountFen: number; createdAt: Date; kind: string;
  level: number | null; orderNo: string | null; buyerNickname: string | null; buyerUsername: string | null;
  friendNickname: string | null; friendUsername: string | null; payoutNo: string | null; month: string | null;
};

function historyRef(e: EntryRow): HistoryRef {
  const name = (nickname: string | null, username: string | null) => (username === null ? null : maskMemberName({ nickname, username }));
  return {
    orderNo: e.orderNo,
    buyer: e.level === 1 ? name(e.buyerNickname, e.buyerUsername) : null,
    level: e.level,
    friend: name(e.friendNickname, e.friendUsername),
    payoutNo: e.payoutNo,
    month: e.month || null,
  };
}

/** One row per ledger transaction: what moved, from which bucket to which (e.g. pending → available), and what for. */
function historyByTransaction(entries: EntryRow[]) {
  const byTxn = new Map<number, EntryRow[]>();
  for (const e of entries) byTxn.set(e.txnId, [...(byTxn.get(e.txnId) ?? []), e]);
  return [...byTxn.values()].map((legs) => {
    const from = legs.find((l) => l.amountFen < 0);
    const to = legs.find((l) => l.amountFen > 0);
    const moved = to?.amountFen ?? -(from?.amountFen ?? 0);
    return {
      id: legs[0].txnId,
      kind: legs[0].kind,
      label: KIND_LABEL[legs[0].kind] ?? legs[0].kind,
      from: from?.bucket ?? null,
      to: to?.bucket ?? null,
      amountFen: moved,
      // Net change of the member's total holdings (a move between own buckets is 0).
      netFen: legs.reduce((sum, l) => sum + l.amountFen, 0),
      at: legs[0].createdAt,
      ref: historyRef(legs[0]),
    };
  });
}

/**
 * The member's newest `limit` ledger entries with their transaction and what it was for, in one statement: the
 * transaction key's first part names the table, its second the row (digits only are cast). Every reference is the
 * member's own (their commission, task, order, withdrawal); a level-2/3 commission's order and buyer are not read.
 */
function historyEntries(db: Db, memberId: number, limit: number) {
  return db.$queryRaw<EntryRow[]>`
    WITH e AS (
      SELECT id, "txnId", bucket, "amountFen", "createdAt" FROM "LedgerEntry" WHERE "memberId" = ${memberId} ORDER BY id DESC LIMIT ${limit}
    ), t AS (
      SELECT id, kind, split_part(key, ':', 1) AS ns, split_part(key, ':', 3) AS k3,
        CASE WHEN split_part(key, ':', 2) ~ '^[0-9]{1,9}$' THEN split_part(key, ':', 2)::int END AS ref,
        CASE WHEN split_part(key, ':', 1) = 'rebate' AND split_part(key, ':', 3) = 'reverse' AND split_part(key, ':', 4) ~ '^[0-9]{1,9}$'
          THEN split_part(key, ':', 4)::int END AS assignment
      FROM "LedgerTxn" WHERE id IN (SELECT "txnId" FROM e)
    )
    SELECT e.id, e."txnId", e.bucket, e."amountFen", e."createdAt", t.kind, c.level,
      COALESCE(CASE WHEN c.level = 1 THEN co."orderNo" END, ro."orderNo", oo."orderNo") AS "orderNo",
      b.nickname AS "buyerNickname", b.username AS "buyerUsername", f.nickname AS "friendNickname", f.username AS "friendUsername",
      CASE WHEN w.id IS NOT NULL THEN COALESCE(w."payoutNo", 'WD' || w.id) END AS "payoutNo",
      CASE WHEN t.ns IN ('team_bonus', 'step_bonus') THEN t.k3 END AS month
    FROM e JOIN t ON t.id = e."txnId"
    LEFT JOIN "Commission" c ON t.ns = 'commission' AND c.id = t.ref AND c."beneficiaryId" = ${memberId}
    LEFT JOIN "Order" co ON c.level = 1 AND co.id = c."orderId"
    LEFT JOIN "Member" b ON c.level = 1 AND b.id = co."memberId"
    LEFT JOIN "RebateTask" rt ON t.ns = 'rebate' AND rt.id = t.ref AND rt."memberId" = ${memberId}
    LEFT JOIN "Order" ro ON ro.id = rt."anchorOrderId"
    LEFT JOIN "RebateAssignment" ra ON ra.id = t.assignment AND ra."taskId" = rt.id
    LEFT JOIN "Member" f ON f.id = ra."inviteeId"
    LEFT JOIN "Order" oo ON t.ns = 'order' AND oo.id = t.ref AND oo."memberId" = ${memberId}
    LEFT JOIN "Withdrawal" w ON t.ns = 'withdrawal' AND w.id = t.ref AND w."memberId" = ${memberId}
    ORDER BY e.id DESC`;
}

export async function myWallet(db: Db, memberId: number, take = 50) {
  const [balances, entries, withdrawals, member] = await Promise.all([
    walletOf({ tx: db }, memberId),
    historyEntries(db, memberId, take * 2),
    db.withdrawal.findMany({ where: { memberId }, orderBy: { id: "desc" }, take: 20 }),
    db.member.findUniqueOrThrow({ where: { id: memberId }, select: { verifiedAt: true, realNameMasked: true, idNumberMasked: true, frozen: true } }),
  ]);
  return {
    balances,
    history: historyByTransaction(entries).slice(0, take),
    withdrawals,
    identity: member.verifiedAt ? { realName: member.realNameMasked, idNumber: member.idNumberMasked, verifiedAt: member.verifiedAt } : null,
    frozen: member.frozen,
  };
}
