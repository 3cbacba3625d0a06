// The back office's withdrawal queue (SPEC §6, issue 9): filters (status, dates, member, amount),
// sorting and pages, who asked and who approved; the PAYING reconciler's status; the finance export.
// SPEC §8: each row says whether its member is under risk review (an open flag), and the queue can show only those;
// a pending row of a member frozen since asking says so (it cannot be approved, only rejected).
import { z } from "@/lib/zod-client";
import { text } from "@/server/validation";
import type { Db } from "../db";
import { Prisma } from "../db/generated/client";
import { loadConfig, refuse } from "../context";
import { zonedMidnight } from "../clock/time";
import { lookupHash, normalisePhone } from "../auth/crypto";
import { heartbeatOf } from "../scheduler/heartbeat";
import { PAYING_RECONCILER } from "../payments/calls";
import { payoutFen, STAFF_OMIT } from "./withdrawals";
import { heldMembers, RISK_HOLD_REASON } from "../risk/flags";
import { seekPage, seeksAfter, type SortDir } from "../exports/keyset";
import { payoutProviderName } from "../payments/registry";
import { payeePlatformOf } from "./payee";
import { payoutReasonOf } from "./payout-reason";
import { maskPlatformId } from "./view";

export const WITHDRAWAL_STATUSES = ["PENDING_REVIEW", "APPROVED", "PAYING", "PAID", "REJECTED", "FAILED"] as const;
export const WITHDRAWAL_SORTS = ["createdAt.desc", "createdAt.asc", "amountFen.desc", "amountFen.asc"] as const;

/** Filters shared by the queue, its CSV export and the background export job. */
export const withdrawalFilterSchema = z.object({
  status: z.enum(WITHDRAWAL_STATUSES).optional(),
  /** Calendar dates (merchant time zone), both included: real days (2026-02-30 is refused, not rolled into March). */
  from: z.iso.date("开始日期无效，应为 YYYY-MM-DD 格式的真实日期").optional(),
  to: z.iso.date("结束日期无效，应为 YYYY-MM-DD 格式的真实日期").optional(),
  /** A full mobile number (matched by its lookup hash), a member id (#12 or 12), or part of a nickname. */
  member: text(40).trim().optional(),
  minFen: z.number().int().min(0).max(2_000_000_000).optional(),
  maxFen: z.number().int().min(0).max(2_000_000_000).optional(),
  sort: z.enum(WITHDRAWAL_SORTS).optional(),
  /** Only members under risk review now (an open flag). */
  flagged: z.boolean().optional(),
  /** Only approved withdrawals no payout will take now (payoutBlockedWhere). */
  blocked: z.boolean().optional(),
  /** Only failed payouts still waiting for finance (failedAwaitingWhere). */
  failedAwaiting: z.boolean().optional(),
});
export type WithdrawalFilter = z.infer<typeof withdrawalFilterSchema>;

function dayStart(date: string, tz: string, plusDays = 0): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + plusDays));
  return zonedMidnight(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), tz);
}

function memberWhere(q: string): Prisma.MemberWhereInput {
  const id = /^#?(\d{1,9})$/.exec(q);
  const phone = /^1\d{10}$/.test(q.replace(/[\s-]/g, "")) ? normalisePhone(q) : null;
  if (phone) return { phoneHash: lookupHash(phone) };
  if (id && !phone) return { id: Number(id[1]) };
  return { OR: [{ nickname: { contains: q, mode: "insensitive" } }, { username: { contains: q, mode: "insensitive" } }] };
}

export function withdrawalWhere(f: WithdrawalFilter, tz: string): Prisma.WithdrawalWhereInput {
  const and: Prisma.WithdrawalWhereInput[] = [];
  if (f.status) and.push({ status: f.status });
  if (f.from) and.push({ createdAt: { gte: dayStart(f.from, tz) } });
  if (f.to) and.push({ createdAt: { lt: dayStart(f.to, tz, 1) } });
  if (f.member) and.push({ member: memberWhere(f.member) });
  if (f.minFen !== undefined && f.maxFen !== undefined && f.minFen > f.maxFen) refuse("INVALID_RANGE", "最低金额不能高于最高金额");
  if (f.minFen !== undefined) and.push({ amountFen: { gte: f.minFen } });
  if (f.maxFen !== undefined) and.push({ amountFen: { lte: f.maxFen } });
  return and.length ? { AND: and } : {};
}

/** withdrawalWhere, and for `flagged` the members with an open flag now (a flag has no relation to filter through); for `blocked` payoutBlockedWhere; for `failedAwaiting` failedAwaitingWhere. */
async function whereOf(db: Db, f: WithdrawalFilter, tz: string): Promise<Prisma.WithdrawalWhereInput> {
  const and = [withdrawalWhere(f, tz)];
  if (f.flagged) {
    const open = await db.riskFlag.findMany({ where: { status: "OPEN" }, distinct: ["memberId"], select: { memberId: true } });
    and.push({ memberId: { in: open.map((o) => o.memberId) } });
  }
  if (f.blocked) and.push(await payoutBlockedWhere(db));
  if (f.failedAwaiting) and.push(await failedAwaitingWhere(db));
  return and.length === 1 ? and[0]! : { AND: and };
}

function orderBy(sort: WithdrawalFilter["sort"] = "createdAt.desc"): Prisma.WithdrawalOrderByWithRelationInput[] {
  const [field, dir] = sort.split(".") as ["createdAt" | "amountFen", "asc" | "desc"];
  return [{ [field]: dir }, { id: dir }];
}

const INCLUDE = {
  member: { select: { id: true, username: true, nickname: true, phoneMasked: true, frozen: true, realNameMasked: true, verifiedAt: true } },
  approvals: { orderBy: { id: "asc" }, select: { staffId: true, decision: true, createdAt: true, staff: { select: { displayName: true, username: true } } } },
} satisfies Prisma.WithdrawalInclude;

/**
 * Where each member's payouts go now (the 通过 dialog names it): the payout provider's channel and the member's account
 * there, masked as the wallet shows it (Alipay's login as bound, a platform id by its ends); channel null for the
 * sandbox, account null when none is bound (the payout would fail: 未绑定).
 */
async function payeesOf(db: Db, memberIds: number[], providerName: string) {
  const payee = payeePlatformOf(providerName);
  const byMember = new Map<number, { channel: "wechat" | "alipay" | null; account: string | null }>();
  const channel = payee?.platform === "alipay" || payee?.platform === "wechat" ? payee.platform : null;
  const accounts = payee && memberIds.length
    ? await db.externalAccount.findMany({ where: { memberId: { in: memberIds }, platform: payee.platform, appId: payee.appId }, select: { memberId: true, subject: true, subjectMasked: true } })
    : [];
  for (const id of memberIds) byMember.set(id, { channel, account: null });
  for (const a of accounts) byMember.set(a.memberId, { channel, account: a.subjectMasked ?? maskPlatformId(a.subject) });
  return byMember;
}

/**
 * One page of the queue; `viewerId` marks the rows this account has already approved. Each row names where its payout
 * goes (`payee`, with the member's verified real name masked) and, once failed, why (`failure`: the case of the
 * provider's reason, whose move a retry waits for, and the provider's own text as its detail).
 */
export async function withdrawalQueue(db: Db, f: WithdrawalFilter & { page?: number; pageSize?: number }, viewerId?: number, providerName = payoutProviderName()) {
  const where = await whereOf(db, f, (await loadConfig(db)).timeZone);
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const [rows, total] = await Promise.all([
    db.withdrawal.findMany({ where, orderBy: orderBy(f.sort), skip: (page - 1) * pageSize, take: pageSize, include: INCLUDE, omit: STAFF_OMIT }),
    db.withdrawal.count({ where }),
  ]);
  const memberIds = [...new Set(rows.map((r) => r.memberId))];
  const [flagged, payees, askedAgain] = await Promise.all([
    heldMembers({ tx: db }, memberIds),
    payeesOf(db, memberIds, providerName),
    askedAgainSince(db, rows.filter((r) => r.status === "FAILED").map((r) => r.id)),
  ]);
  return {
    total,
    items: rows.map((r) => ({
      ...r,
      netFen: payoutFen(r),
      approvedCount: r.approvals.filter((a) => a.decision === "approve").length,
      approvedByMe: viewerId !== undefined && r.approvals.some((a) => a.staffId === viewerId && a.decision === "approve"),
      // Approved but never paid while the member is frozen (the payout skips them): staff reject it, or wait for an unfreeze.
      payoutBlocked: r.status === "APPROVED" && r.member.frozen,
      // Waiting for review while the member is frozen (frozen after asking): approveWithdrawal refuses it (SPEC §8: a
      // frozen member cannot withdraw), so 通过 is not offered and staff reject it (the money goes back to the balance).
      memberFrozen: r.status === "PENDING_REVIEW" && r.member.frozen,
      // Approved (by a person, before the flag) but the payout skips a member under review: it waits for the risk review's decision.
      payoutHeld: r.status === "APPROVED" && !r.member.frozen && flagged.has(r.memberId),
      riskFlagged: flagged.has(r.memberId),
      riskHeld: riskHeldNow(r),
      reason: reasonNow(r),
      failure: r.status === "FAILED" ? payoutReasonOf(r.failReason) : null,
      // The member asked for a withdrawal again after this payout failed: the failure is theirs to have handled, not finance's to-do.
      askedAgainAt: askedAgain.get(r.id) ?? null,
      payee: { ...payees.get(r.memberId)!, realNameMasked: r.member.realNameMasked, verified: r.member.verifiedAt !== null },
    })),
  };
}

/**
 * Waiting for a person because its member was under risk review (the reason is the system's, shown translated). Once
 * decided or paid it is not held any more: the recorded reason stays (and the audit log) as its history.
 */
export function riskHeldNow(w: { status: string; failReason: string | null }): boolean {
  return w.status === "PENDING_REVIEW" && w.failReason === RISK_HOLD_REASON;
}

/** The failure or rejection reason to show now: a risk hold since decided (approved, paying, paid) is none. */
export function reasonNow(w: { status: string; failReason: string | null }): string | null {
  return w.failReason === RISK_HOLD_REASON && !riskHeldNow(w) ? null : w.failReason;
}

/** Where an export page resumes: the last row of the page before it. */
export type WithdrawalCursor = { id: number; createdAt: Date; amountFen: number };

/**
 * The finance CSV export, one page at a time: up to `take` withdrawals after `after` (the previous page's
 * last row; null to start) in exactly the queue's order, each part seeking from the cursor (no offset).
 */
export async function withdrawalExportPage(db: Db, f: WithdrawalFilter, tz: string, after: WithdrawalCursor | null, take: number) {
  const where = await whereOf(db, f, tz);
  const [field, dir] = (f.sort ?? "createdAt.desc").split(".") as ["createdAt" | "amountFen", SortDir];
  const rows = await seekPage(seeksAfter(field, dir, after && { value: after[field], id: after.id }), take, (seek, n) =>
    db.withdrawal.findMany({ where: { AND: [where, seek.where as Prisma.WithdrawalWhereInput] }, orderBy: seek.orderBy as Prisma.WithdrawalOrderByWithRelationInput[], take: n, include: INCLUDE, omit: STAFF_OMIT }),
  );
  return rows.map((r) => ({ ...r, netFen: payoutFen(r) }));
}

export async function countWithdrawals(db: Db, f: WithdrawalFilter, tz: string) {
  return db.withdrawal.count({ where: await whereOf(db, f, tz) });
}

/** APPROVED withdrawals of a member frozen since: the payout skips them, so they wait for staff (SPEC §8: no withdrawal while frozen). */
export const PAYOUT_BLOCKED = { status: "APPROVED", member: { frozen: true } } satisfies Prisma.WithdrawalWhereInput;

/**
 * Every APPROVED withdrawal the payout skips now (queuePayout, server/wallet/withdrawals.ts): its member is frozen
 * (PAYOUT_BLOCKED: staff reject it) or under risk review (it waits for the review's decision, SPEC §8).
 */
export async function payoutBlockedWhere(db: Db): Promise<Prisma.WithdrawalWhereInput> {
  const approved = await db.withdrawal.findMany({ where: { status: "APPROVED" }, distinct: ["memberId"], select: { memberId: true } });
  const held = await heldMembers({ tx: db }, approved.map((w) => w.memberId));
  return { status: "APPROVED", OR: [PAYOUT_BLOCKED, { memberId: { in: [...held] } }] };
}

/** A withdrawal `l` its member asked for at or after failed withdrawal `f` failed: the one rule for both reads below. */
const ASKED_AGAIN = Prisma.sql`l."memberId" = f."memberId" AND l.id <> f.id AND l."createdAt" >= f."decidedAt"`;

/**
 * For each of these FAILED withdrawals, when its member next asked for a withdrawal at or after the failure (the
 * member took the returned money into a new request), if they did: such a failure no longer waits for finance.
 */
async function askedAgainSince(db: Db, failedIds: number[]): Promise<Map<number, Date>> {
  if (failedIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ id: number; at: Date }[]>`
    SELECT f.id, n.at FROM "Withdrawal" f
    CROSS JOIN LATERAL (SELECT l."createdAt" AS at FROM "Withdrawal" l
      WHERE ${ASKED_AGAIN} ORDER BY l."createdAt" LIMIT 1) n
    WHERE f.id = ANY(${failedIds}::int[]) AND f.status = 'FAILED'`;
  return new Map(rows.map((r) => [r.id, r.at]));
}

/**
 * The failed payouts that still wait for finance (the home's 打款失败待处理): FAILED, and the member has not asked for a
 * withdrawal since the failure (askedAgainSince). Finance retries them (重新打款) or leaves them to the member.
 */
export async function failedAwaitingWhere(db: Db): Promise<Prisma.WithdrawalWhereInput> {
  const open = await db.$queryRaw<{ id: number }[]>`
    SELECT f.id FROM "Withdrawal" f WHERE f.status = 'FAILED' AND NOT EXISTS (
      SELECT 1 FROM "Withdrawal" l WHERE ${ASKED_AGAIN})`;
  return { status: "FAILED", id: { in: open.map((r) => r.id) } };
}

/**
 * The PAYING reconciler's status: its last run, every withdrawal still PAYING with its payout
 * call's last provider answer (attempts, error, next try; DEAD = waiting for a staff retry), and the
 * approved ones no payout will take because their member is frozen.
 */
export async function payingStatus(db: Db, take = 50) {
  const [heartbeat, paying, payingCount, blocked, blockedCount] = await Promise.all([
    heartbeatOf(db, PAYING_RECONCILER),
    db.withdrawal.findMany({ where: { status: "PAYING" }, orderBy: { id: "asc" }, take, include: { member: { select: { id: true, nickname: true, username: true } } } }),
    db.withdrawal.count({ where: { status: "PAYING" } }),
    db.withdrawal.findMany({ where: PAYOUT_BLOCKED, orderBy: { id: "asc" }, take, include: { member: { select: { id: true, nickname: true, username: true } } } }),
    db.withdrawal.count({ where: PAYOUT_BLOCKED }),
  ]);
  const calls = await db.providerCall.findMany({ where: { idempotencyNo: { in: paying.map((w) => w.payoutNo ?? `WD${w.id}`) } } });
  const byNo = new Map(calls.map((c) => [c.idempotencyNo, c]));
  return {
    lastRunAt: heartbeat?.lastRunAt ?? null,
    lastOkAt: heartbeat?.lastOkAt ?? null,
    lastError: heartbeat?.lastError ?? null,
    lastClosed: heartbeat?.lastCount ?? 0,
    payingCount,
    paying: paying.map((w) => {
      const c = byNo.get(w.payoutNo ?? `WD${w.id}`);
      return {
        id: w.id,
        payoutNo: w.payoutNo ?? `WD${w.id}`,
        member: w.member.nickname ?? w.member.username,
        netFen: payoutFen(w),
        call: c ? { id: c.id, status: c.status, attempts: c.attempts, lastError: c.lastError, lastAttemptAt: c.lastAttemptAt, nextAttemptAt: c.nextAttemptAt } : null,
      };
    }),
    blockedCount,
    blocked: blocked.map((w) => ({ id: w.id, payoutNo: w.payoutNo ?? `WD${w.id}`, memberId: w.memberId, member: w.member.nickname ?? w.member.username, netFen: payoutFen(w) })),
  };
}
