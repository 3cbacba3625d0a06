// Back-office view of members and distributors (issue 9, /merchant/members): the list with its
// search, filters and CSV batches, a member's detail, the downline one level per request (closure
// table + per-depth counters, never a recursive scan), and freeze / unfreeze with a reason.
import { z } from "zod";
import type { Db, Prisma, Tx } from "../db";
import { text } from "../validation";
import type { Ctx } from "../context";
import { notify, refuse } from "../context";
import type { MallConfig } from "../config/schema";
import { decryptField, lookupHash } from "../auth/crypto";
import { matrixView } from "../matrix";
import { audit, staffActor, type StaffActor } from "../audit";
import { cappedTotal, LIST_COUNT_CAP } from "../pagination";
import { setFrozen } from "./status-history";
import { FREEZE_AFTER_REJECTIONS, riskFrozen } from "../risk/review";
import { heldMembers } from "../risk/flags";
import { commissionDisplayStatus, taskDisplayStatus } from "../rebate/view";
import { seekPage, seeksAfter, type Seek, type SortDir } from "../exports/keyset";
import { canAccess, type StaffRole } from "../staff/roles";
import { walletNumbers } from "../wallet/ledger";
import { bonusBases } from "./bonus-ledger";
import { distributorProgress, distributorWhere, everyonePeriods, isDistributorAt, type Period } from "../distribution";
import { appNow } from "../clock/app-clock";

export const MAINLAND_PHONE_RE = /^1[3-9]\d{9}$/;
/** A phone's last four digits (尾号), as merchants look a member up. */
export const PHONE_TAIL_RE = /^\d{4}$/;

/** The member list's filters, shared by the list procedure and the CSV export. */
export const memberFilterSchema = z.object({
  /**
   * Nickname or username (contains), referral code (exact), a full phone number (lookup hash) or a phone's last four
   * digits (尾号, the end of phoneMasked). The "contains" branches scan Member: no trigram index, which every sign-up would pay for.
   */
  q: text(64).trim().optional(),
  tier: text(32).trim().optional(),
  distributor: z.enum(["yes", "no"]).optional(),
  /** Account status (the URL's `frozen`, kept for shared links): `no` 正常, `yes` 已冻结, `deleted` 已注销. */
  frozen: z.enum(["yes", "no", "deleted"]).optional(),
});
export type MemberFilter = z.infer<typeof memberFilterSchema>;

/**
 * What decides 分销资格 at `now`, as the engine and the promotion centre decide it (server/distribution isDistributorAt):
 * the stored status, else the whole `everyone` history (SPEC §4: once a distributor, always one), less staff's suspension.
 */
export type DistributorRule = { now: Date; periods: Period[] };
export async function distributorRule(db: Db, config: MallConfig, now: Date = appNow()): Promise<DistributorRule> {
  return { now, periods: await everyonePeriods({ tx: db, now, config }) };
}

export function memberWhere(f: MemberFilter, rule: DistributorRule): Prisma.MemberWhereInput {
  const and: Prisma.MemberWhereInput[] = [];
  const q = f.q?.trim();
  if (q) {
    const digits = q.replace(/[\s-]/g, "");
    // A phone is only stored encrypted: a full number is found through its lookup hash, never by LIKE.
    if (MAINLAND_PHONE_RE.test(digits)) and.push({ phoneHash: lookupHash(digits) });
    else
      and.push({
        OR: [
          { nickname: { contains: q, mode: "insensitive" } },
          { username: { contains: q, mode: "insensitive" } },
          { referralCode: q.toUpperCase() },
          { referralCode: q },
          // 尾号: phoneMasked keeps a number's last four digits in the clear ("138****0007", server/auth/crypto.ts maskPhone).
          ...(PHONE_TAIL_RE.test(digits) ? [{ phoneMasked: { endsWith: digits } }] : []),
        ],
      });
  }
  if (f.tier) and.push({ tier: f.tier });
  if (f.distributor) {
    // The engine's rule (distributorWhere is isDistributorAt as a filter). A deleted account earns nothing (server/members/deletion.ts): never a distributor.
    if (f.distributor === "yes") and.push({ deletedAt: null }, distributorWhere(rule.periods, rule.now, true));
    else and.push({ OR: [{ deletedAt: { not: null } }, distributorWhere(rule.periods, rule.now, false)] });
  }
  // A deleted account is frozen too (server/members/deletion.ts) but counts only as 已注销: every member has exactly one of the three statuses.
  if (f.frozen === "deleted") and.push({ deletedAt: { not: null } });
  else if (f.frozen) and.push({ frozen: f.frozen === "yes", deletedAt: null });
  return and.length ? { AND: and } : {};
}

const LIST_SELECT = {
  id: true,
  username: true,
  nickname: true,
  phoneMasked: true,
  referralCode: true,
  tier: true,
  frozen: true,
  deletedAt: true,
  distributorSince: true,
  distributorDisabledAt: true,
  teamSize: true,
  createdAt: true,
  lastActiveAt: true,
  sponsor: { select: { id: true, nickname: true, username: true } },
  wallet: { select: { withdrawn: true } },
  levelCounts: { where: { depth: 1 }, select: { count: true } },
} satisfies Prisma.MemberSelect;

type ListRow = Prisma.MemberGetPayload<{ select: typeof LIST_SELECT }>;

/** Commission sums of a page of members: earned = SETTLED (in the wallet), pending = PENDING + CONFIRMED. */
async function commissionSums(db: Db, ids: number[]) {
  const out = new Map<number, { earnedFen: number; pendingFen: number }>();
  if (!ids.length) return out;
  const groups = await db.commission.groupBy({
    by: ["beneficiaryId", "status"],
    where: { beneficiaryId: { in: ids }, status: { in: ["PENDING", "CONFIRMED", "SETTLED"] } },
    _sum: { amountFen: true },
  });
  for (const g of groups) {
    const s = out.get(g.beneficiaryId) ?? { earnedFen: 0, pendingFen: 0 };
    if (g.status === "SETTLED") s.earnedFen += g._sum.amountFen ?? 0;
    else s.pendingFen += g._sum.amountFen ?? 0;
    out.set(g.beneficiaryId, s);
  }
  return out;
}

/**
 * 推广订单 of a page of members: the orders of their downline that rewarded them (a commission entry
 * for them, earned or forfeited), neither refunded nor voided, and the goods amount of those orders.
 */
async function promotionSums(db: Db, ids: number[]) {
  if (!ids.length) return new Map<number, { orders: number; goodsFen: number }>();
  // The order's status, not the entry's: a refund voids only PENDING/CONFIRMED entries, a FORFEITED one stays FORFEITED.
  const rows = await db.$queryRaw<{ id: number; orders: number; fen: bigint }[]>`
    SELECT x."beneficiaryId" AS id, count(*)::int AS orders, coalesce(sum(o."goodsFen"), 0)::bigint AS fen
    FROM (SELECT DISTINCT "beneficiaryId", "orderId" FROM "Commission" WHERE "beneficiaryId" = ANY(${ids}::int[]) AND status <> 'VOID') x
    JOIN "Order" o ON o.id = x."orderId" AND o.status <> 'REFUNDED'
    GROUP BY x."beneficiaryId"`;
  return new Map(rows.map((r) => [r.id, { orders: r.orders, goodsFen: Number(r.fen) }]));
}

async function shape(db: Db, config: MallConfig, rule: DistributorRule, rows: ListRow[]) {
  const ids = rows.map((r) => r.id);
  const [sums, promotion] = await Promise.all([commissionSums(db, ids), promotionSums(db, ids)]);
  return rows.map((r) => ({
    id: r.id,
    username: r.username,
    nickname: r.nickname,
    phoneMasked: r.phoneMasked,
    referralCode: r.referralCode,
    tier: r.tier,
    frozen: r.frozen,
    deletedAt: r.deletedAt,
    // The engine's rule (server/distribution), so the back office agrees with /promote and with what commission pays.
    distributor: r.deletedAt === null && isDistributorAt(config, r, rule.now, rule.periods),
    /** Suspended by staff (shown 已停用 rather than 非分销员). */
    distributorDisabled: r.distributorDisabledAt !== null,
    sponsor: r.sponsor ? { id: r.sponsor.id, name: r.sponsor.nickname ?? r.sponsor.username } : null,
    directs: r.levelCounts[0]?.count ?? 0,
    teamSize: r.teamSize,
    earnedFen: sums.get(r.id)?.earnedFen ?? 0,
    pendingFen: sums.get(r.id)?.pendingFen ?? 0,
    withdrawnFen: Number(r.wallet?.withdrawn ?? 0),
    promotionOrders: promotion.get(r.id)?.orders ?? 0,
    promotionFen: promotion.get(r.id)?.goodsFen ?? 0,
    createdAt: r.createdAt,
    lastActiveAt: r.lastActiveAt,
  }));
}
export type MemberListRow = Awaited<ReturnType<typeof shape>>[number];

/** The list's sortable columns (the table's `sort` URL parameter is "<column>.<asc|desc>"). */
export const MEMBER_SORT_KEYS = ["createdAt", "teamSize", "id", "lastActiveAt"] as const;
type MemberSortKey = (typeof MEMBER_SORT_KEYS)[number];
type MemberSort = { id: string; desc: boolean } | null | undefined;

/** The list's order, which its CSV export follows too: `sort`'s column (else newest first), then id the same way. */
function memberOrder(sort: MemberSort): { key: MemberSortKey; dir: SortDir } {
  const key = sort && (MEMBER_SORT_KEYS as readonly string[]).includes(sort.id) ? (sort.id as MemberSortKey) : "createdAt";
  return { key, dir: sort && !sort.desc ? "asc" : "desc" };
}

export async function listMembers(
  db: Db,
  config: MallConfig,
  f: MemberFilter,
  page: { page: number; pageSize: number; sort?: MemberSort },
  now: Date = appNow(),
) {
  const rule = await distributorRule(db, config, now);
  const where = memberWhere(f, rule);
  const { key, dir } = memberOrder(page.sort);
  const [counted, rows] = await Promise.all([
    db.member.count({ where, take: LIST_COUNT_CAP + 1 }),
    // Members never seen since activity was recorded sort last either way.
    db.member.findMany({ where, select: LIST_SELECT, orderBy: [{ [key]: key === "lastActiveAt" ? { sort: dir, nulls: "last" } : dir }, { id: dir }], skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
  ]);
  // The configured tier names, for the tier filter (tiers are configurable, SPEC §7).
  return { ...cappedTotal(counted), rows: await shape(db, config, rule, rows), tiers: config.tiers.map((t) => t.name) };
}

export async function countMembers(db: Db, config: MallConfig, f: MemberFilter, now: Date = appNow()): Promise<number> {
  return db.member.count({ where: memberWhere(f, await distributorRule(db, config, now)) });
}

/**
 * One page of the streamed CSV export: up to `take` members after `after` (the previous page's last row; null to
 * start) in exactly the list's order, each part seeking from the cursor (no offset), so a large export never sits in memory.
 */
export async function memberExportPage(db: Db, config: MallConfig, f: MemberFilter, sort: MemberSort, after: MemberListRow | null, take: number, now: Date = appNow()) {
  const rule = await distributorRule(db, config, now);
  const where = memberWhere(f, rule);
  const { key, dir } = memberOrder(sort);
  // By id alone one seek does (seeksAfter's tie part and its part beyond the value would read the same rows).
  const seeks: Seek[] =
    key === "id"
      ? [{ where: after ? { id: dir === "desc" ? { lt: after.id } : { gt: after.id } } : {}, orderBy: [{ id: dir }] }]
      : seeksAfter(key, dir, after && { value: after[key], id: after.id }, key === "lastActiveAt" ? "last" : undefined);
  const rows = await seekPage(seeks, take, (seek, n) =>
    db.member.findMany({ where: { AND: [where, seek.where as Prisma.MemberWhereInput] }, select: LIST_SELECT, orderBy: seek.orderBy as Prisma.MemberOrderByWithRelationInput[], take: n }),
  );
  return shape(db, config, rule, rows);
}

const RECENT = 20;
/** Ancestors the detail page lists, nearest first (as the order detail's chain); the total depth is given as a number. */
export const UPLINE_SHOWN = 10;

/**
 * A sign-up IP as a role that may not see it whole reads it: an IPv4 address's first two octets
 * ("192.168.*.*"), an IPv6 address's first 32 bits ("2408:8207:*"), anything not understood "****".
 * Enough to tell the network, never the member's own line.
 */
export function maskIp(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.*.*`;
  const halves = ip.split("::");
  if (halves.length > 2) return "****";
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves[1] ? halves[1].split(":") : [];
  const zeros = 8 - head.length - tail.length;
  // Without "::" all eight groups are written; with it, it stands for at least one.
  if (halves.length === 1 ? zeros !== 0 : zeros < 1) return "****";
  const groups = [...head, ...Array<string>(zeros).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return "****";
  return `${groups.slice(0, 2).map((g) => g.toLowerCase().replace(/^0+(?=.)/, "")).join(":")}:*`;
}

/** Withdrawal statuses a freeze stops: not approved (PENDING_REVIEW) or not paid out (APPROVED) while frozen (SPEC §8). */
export const WAITING_WITHDRAWAL = ["PENDING_REVIEW", "APPROVED"] as const;

/**
 * Everything the member detail page shows, or null for an unknown id. Phone stays masked; the sign-up IP
 * is whole only for a role that reviews risk (the owner: IPs are that review's evidence, SPEC §8), masked for the rest.
 */
export async function memberDetail(db: Db, config: MallConfig, id: number, role: StaffRole, now: Date = appNow()) {
  const m = await db.member.findUnique({
    where: { id },
    select: {
      ...LIST_SELECT,
      signupIp: true,
      frozenAt: true,
      verifiedAt: true,
      realNameMasked: true,
      rejectionCount: true,
      qualifiedDirects: true,
      paidUnrefundedCount: true,
      distributorDisabledAt: true,
      bindingRefusal: true,
      phoneEnc: true,
      realNameEnc: true,
      wallet: { select: { pending: true, available: true, withdrawing: true, withdrawn: true, credit: true } },
    },
  });
  if (!m) return null;
  const [row] = await shape(db, config, await distributorRule(db, config, now), [m]);
  const [ledger, orders, rebateTasks, commissions, riskEvents, upline, deepest, levels, matrix, address, signupRefusal, waiting, progress] = await Promise.all([
    db.ledgerEntry.findMany({ where: { memberId: id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: RECENT, include: { txn: { select: { kind: true, key: true, memo: true } } } }),
    db.order.findMany({
      where: { memberId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT,
      select: { id: true, orderNo: true, status: true, goodsFen: true, payableFen: true, createdAt: true },
    }),
    db.rebateTask.findMany({
      where: { memberId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT,
      // SPEC §5: an invitee removed (first order refunded, rejected in review) no longer counts towards the task, nor holds it.
      select: { id: true, status: true, n: true, cashbackFen: true, deadline: true, createdAt: true, assignments: { where: { removedAt: null }, select: { inviteeId: true } } },
    }),
    db.commission.findMany({
      where: { beneficiaryId: id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: RECENT,
      select: { id: true, level: true, amountFen: true, status: true, forfeitReason: true, createdAt: true, order: { select: { orderNo: true, memberId: true } } },
    }),
    db.riskEvent.findMany({ where: { memberIds: { has: id } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: RECENT, select: { id: true, rule: true, memberIds: true, createdAt: true } }),
    db.sponsorClosure.findMany({
      where: { descendantId: id },
      orderBy: { depth: "asc" },
      take: UPLINE_SHOWN,
      select: { depth: true, ancestor: { select: { id: true, nickname: true, username: true, tier: true, frozen: true, deletedAt: true } } },
    }),
    // The farthest ancestor's depth is the chain's length: one index lookup, not the whole upline.
    db.sponsorClosure.findFirst({ where: { descendantId: id }, orderBy: { depth: "desc" }, select: { depth: true } }),
    db.downlineLevelCount.findMany({ where: { memberId: id, count: { gt: 0 } }, orderBy: { depth: "asc" }, select: { depth: true, count: true } }),
    matrixSeatView(db, config, id),
    defaultAddress(db, id),
    signupBindingRefusal(db, m),
    // Withdrawals a freeze stops (server/wallet/withdrawals.ts): one waiting for review is refused approval, an approved one is
    // not paid out; staff reject them and the money returns to `available`. One already PAYING is with the provider.
    db.withdrawal.aggregate({ where: { memberId: id, status: { in: [...WAITING_WITHDRAWAL] } }, _count: { _all: true }, _sum: { amountFen: true } }),
    // The shopper's own 分销资格 card's numbers (server/promotion/distribution myDistribution), from the function the payment's rule is.
    distributorProgress({ tx: db, config, now }, id),
  ]);
  // SPEC §8: while a member has an open flag, the commissions from their orders and the tasks with them as anchor buyer or
  // invitee show ON_HOLD, as the order page and the shopper's own pages show them (server/rebate/view).
  const held = await heldMembers({ tx: db }, [id, ...rebateTasks.flatMap((t) => t.assignments.map((a) => a.inviteeId)), ...commissions.map((c) => c.order.memberId)]);
  // 阶梯奖励 / 团队绩效 postings: the month, base and rate they were paid on, as the member's notice says them.
  const bonuses = await bonusBases(db, config.timeZone, id, ledger.map((e) => ({ id: e.id, kind: e.txn.kind, key: e.txn.key, amountFen: e.amountFen })));
  return {
    ...row!,
    signupIp: m.signupIp && !canAccess(role, "risk") ? maskIp(m.signupIp) : m.signupIp,
    frozenAt: m.frozenAt,
    verifiedAt: m.verifiedAt,
    realNameMasked: m.realNameMasked,
    rejectionCount: m.rejectionCount,
    /** Risk rejections at which the account is frozen (SPEC §8), shown with the count. */
    freezeAfterRejections: FREEZE_AFTER_REJECTIONS,
    qualifiedDirects: m.qualifiedDirects,
    paidUnrefundedCount: m.paidUnrefundedCount,
    distributorDisabledAt: m.distributorDisabledAt,
    /** Which personal fields the owner could reveal (the values stay encrypted here). */
    revealable: { phone: m.phoneEnc !== null, realName: m.realNameEnc !== null, address: address !== null },
    addressMasked: address ? `${address.region} ****` : null,
    matrix,
    wallet: walletNumbers(m.wallet),
    ledger: ledger.map((e) => ({ id: e.id, bucket: e.bucket, amountFen: e.amountFen, kind: e.txn.kind, memo: e.txn.memo, createdAt: e.createdAt, bonus: bonuses.get(e.id) ?? null })),
    orders,
    /** An open risk flag: the member is under review (SPEC §8), what they earn or are owed waits for the decision. */
    riskHold: held.has(id),
    /** Why the sign-up bound nobody, if it was refused or the link no longer valid (SPEC §2, §8); null: bound, or no link used. */
    signupRefusal,
    rebateTasks: rebateTasks.map(({ assignments, ...t }) => ({
      ...t,
      status: taskDisplayStatus(t.status, held.has(id) || assignments.some((a) => held.has(a.inviteeId))),
      // A task that ended unpaid (VOID, EXPIRED) owes nothing (SPEC §5): no cashback shown, as if owed.
      cashbackFen: t.status === "VOID" || t.status === "EXPIRED" ? null : t.cashbackFen,
      invitees: assignments.length,
    })),
    commissions: commissions.map(({ order, ...c }) => ({ ...c, status: commissionDisplayStatus(c.status, held.has(order.memberId)), orderNo: order.orderNo })),
    riskEvents,
    upline: upline.map((u) => ({ depth: u.depth, id: u.ancestor.id, name: u.ancestor.nickname ?? u.ancestor.username, tier: u.ancestor.tier, frozen: u.ancestor.frozen, deletedAt: u.ancestor.deletedAt })),
    /** How many levels up the chain goes (upline holds the nearest UPLINE_SHOWN of them). */
    uplineDepth: deepest?.depth ?? 0,
    /** Downline size per level, from the counters kept at sign-up. */
    levels,
    /**
     * Progress toward 分销资格 as the shopper's /promote shows it (SPEC §4): the mode, and in `spend` what counts so far
     * against the minimum and what is missing (0 with the minimum met: the next payment makes them one).
     */
    distributorProgress: { mode: progress.mode, minSpendFen: progress.minSpendFen, spentFen: progress.spentFen, remainingFen: progress.remainingFen },
    /** The member's withdrawals waiting in 提现审核 (to review, or approved and not yet paid out): what a freeze holds up. */
    waitingWithdrawals: { count: waiting._count._all, amountFen: waiting._sum.amountFen ?? 0 },
  };
}
export type MemberDetail = NonNullable<Awaited<ReturnType<typeof memberDetail>>>;

/**
 * Why the member's sign-up bound nobody (SPEC §2, §8): refused for their own code (self_referral) or a device shared with the
 * inviter (shared_device), each recorded as a risk event by the sign-up itself (server/referral registerMember: at the
 * member's createdAt, by the (rule, createdAt) index), whose other member is the inviter (an older member, so of a smaller
 * id: an event where this member is the inviter names a newer one); or the inviter's link was no longer valid (frozen or
 * deleted, Member.bindingRefusal "sponsor_inactive"; the inviter is not recorded). Null: bound, or no link.
 */
async function signupBindingRefusal(db: Db, member: { id: number; createdAt: Date; bindingRefusal: string | null }) {
  const memberId = member.id;
  const events = await db.riskEvent.findMany({
    where: { rule: { in: ["self_referral", "shared_device"] }, createdAt: member.createdAt, memberIds: { has: memberId } },
    orderBy: { id: "asc" },
    select: { rule: true, memberIds: true, createdAt: true },
  });
  const own = events.find((e) => (e.rule === "self_referral" ? e.memberIds.length === 1 : e.memberIds.every((x) => x <= memberId)));
  if (own) {
    const inviterId = own.rule === "self_referral" ? memberId : (own.memberIds.find((x) => x !== memberId) ?? null);
    const inviter = inviterId === null ? null : await db.member.findUnique({ where: { id: inviterId }, select: { id: true, nickname: true, username: true } });
    return {
      rule: own.rule as "self_referral" | "shared_device",
      inviter: inviterId === null ? null : { id: inviterId, name: inviter ? (inviter.nickname ?? inviter.username) : null },
      at: own.createdAt,
    };
  }
  if (member.bindingRefusal === "sponsor_inactive") return { rule: "sponsor_inactive" as const, inviter: null, at: null };
  return null;
}

/** The member's seat in the forced matrix (SPEC §3): where, who is above, the seats below and each level's fill. */
async function matrixSeatView(db: Db, config: MallConfig, memberId: number) {
  const seat = await db.matrixSeat.findUnique({
    where: { memberId },
    select: { id: true, level: true, position: true, parent: { select: { member: { select: { id: true, nickname: true, username: true } } } } },
  });
  if (!seat) return null;
  const [children, levels] = await Promise.all([
    db.matrixSeat.findMany({ where: { parentId: seat.id }, orderBy: { position: "asc" }, select: { position: true, member: { select: { id: true, nickname: true, username: true } } } }),
    matrixView({ tx: db, config }, memberId),
  ]);
  const parent = seat.parent?.member ?? null;
  return {
    level: seat.level,
    position: seat.position,
    parent: parent ? { id: parent.id, name: parent.nickname ?? parent.username } : null,
    width: config.matrix.width,
    children: children.map((c) => ({ position: c.position, member: c.member ? { id: c.member.id, name: c.member.nickname ?? c.member.username } : null })),
    levels: levels.filter((l) => l.filled > 0 || l.level === 1),
  };
}

function defaultAddress(db: Db | Tx, memberId: number) {
  return db.address.findFirst({ where: { memberId }, orderBy: [{ isDefault: "desc" }, { createdAt: "desc" }, { id: "desc" }] });
}

export const DOWNLINE_PAGE = 50;

/** A member's direct downline (the tree view's children of one node), a page at a time, by the sponsor index. */
export async function downlineChildren(db: Db, memberId: number, afterId: number | null, take = DOWNLINE_PAGE) {
  const rows = await db.member.findMany({
    where: { sponsorId: memberId, ...(afterId ? { id: { gt: afterId } } : {}) },
    orderBy: { id: "asc" },
    take: take + 1,
    select: { id: true, nickname: true, username: true, tier: true, frozen: true, deletedAt: true, teamSize: true, createdAt: true, sponsorId: true },
  });
  const page = rows.slice(0, take).map((r) => ({ ...r, name: r.nickname ?? r.username }));
  return { rows: page, nextAfterId: rows.length > take ? page[page.length - 1]!.id : null };
}

/** One level of a member's downline, a page at a time (closure rows at that depth; no recursion). */
export async function downlineLevel(db: Db, memberId: number, depth: number, afterId: number | null, take = DOWNLINE_PAGE) {
  const rows = await db.sponsorClosure.findMany({
    where: { ancestorId: memberId, depth, ...(afterId ? { descendantId: { gt: afterId } } : {}) },
    orderBy: { descendantId: "asc" },
    take: take + 1,
    select: {
      descendant: {
        select: { id: true, nickname: true, username: true, tier: true, frozen: true, deletedAt: true, teamSize: true, createdAt: true, sponsorId: true },
      },
    },
  });
  const page = rows.slice(0, take).map((r) => ({ ...r.descendant, name: r.descendant.nickname ?? r.descendant.username }));
  return { rows: page, nextAfterId: rows.length > take ? page[page.length - 1]!.id : null };
}

/**
 * Freezes or unfreezes a member with a reason (SPEC §8): a frozen member earns nothing new and cannot
 * withdraw (the engine reads `frozen`). Audited in the same transaction; setting the state it already
 * has is refused, so a double click never writes two entries. A freeze the risk review made (riskFrozen) is
 * lifted only by a role that reviews risk (`role`, the deciding staff's; none lifts it). The shopper is told of each
 * change in-app, never the reason: it is staff's note for the audit log.
 */
export async function setMemberFrozen(ctx: Ctx, memberId: number, frozen: boolean, reason: string, actor: StaffActor, role: StaffRole | null = null) {
  const why = reason.trim();
  if (why.length < 2 || why.length > 200) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  // Locked: a risk rejection decided meanwhile waits, so the freeze's origin read below stays true until commit.
  const [member] = await ctx.tx.$queryRaw<{ frozen: boolean; frozenAt: Date | null; deletedAt: Date | null; rejectionCount: number }[]>`
    SELECT frozen, "frozenAt", "deletedAt", "rejectionCount" FROM "Member" WHERE id = ${memberId} FOR NO KEY UPDATE`;
  if (!member) refuse("MEMBER_NOT_FOUND", "会员不存在");
  // A deleted account stays frozen (server/members/deletion.ts): unfrozen, it would earn into a wallet nobody can reach.
  if (member.deletedAt && !frozen) refuse("MEMBER_DELETED", "该会员已注销，不能解冻");
  if (!frozen && !(role && canAccess(role, "risk")) && (await riskFrozen(ctx, memberId, member))) refuse("RISK_FREEZE_REVIEWER_ONLY", "该会员因风控审核未通过被冻结，需由风控审核人员解冻");
  // Conditional update: of two concurrent identical requests only one changes the row (and records the change).
  if (!(await setFrozen(ctx, memberId, frozen))) refuse(frozen ? "ALREADY_FROZEN" : "NOT_FROZEN", frozen ? "该会员已冻结" : "该会员未冻结");
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: frozen ? "member.frozen" : "member.unfrozen",
    target: `member:${memberId}`,
    before: { frozen: member.frozen, frozenAt: member.frozenAt },
    after: { frozen, frozenAt: frozen ? ctx.now : null },
    data: { reason: why },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  await notify(ctx, memberId, "account", frozen ? "account.frozenByMerchant" : "account.unfrozen");
  return { id: memberId, frozen };
}

export const REVEAL_FIELDS = ["phone", "realName", "address"] as const;
export type RevealField = (typeof REVEAL_FIELDS)[number];

/**
 * Shows the owner one personal field in clear (issue 9): one field per call, a reason required, and
 * an audit entry naming the field and the reason (never the value) in the same transaction.
 */
export async function revealMemberField(ctx: Pick<Ctx, "tx" | "now">, memberId: number, field: RevealField, reason: string, actor: StaffActor) {
  const why = reason.trim();
  if (why.length < 2 || why.length > 200) refuse("INVALID_REASON", "请填写查看原因（2-200 字）");
  const m = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { phoneEnc: true, realNameEnc: true } });
  if (!m) refuse("MEMBER_NOT_FOUND", "会员不存在");
  let value: string | null;
  if (field === "phone") value = m.phoneEnc ? decryptField(m.phoneEnc) : null;
  else if (field === "realName") value = m.realNameEnc ? decryptField(m.realNameEnc) : null;
  else {
    const a = await defaultAddress(ctx.tx, memberId);
    value = a ? `${a.name} ${a.phone} ${a.region} ${a.detail}` : null;
  }
  if (value === null) refuse("NOTHING_TO_REVEAL", "该会员没有此项资料");
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "member.revealed",
    target: `member:${memberId}`,
    data: { field, reason: why },
    requestId: actor.requestId ?? null,
    now: ctx.now,
  });
  return { field, value };
}
