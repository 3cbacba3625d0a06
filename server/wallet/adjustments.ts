// Manual ledger adjustments (issue 9): finance corrects one bucket of a member's wallet with a reason,
// as a double-entry transaction against merchant:adjustment, so the ledger still balances and the
// wallet still equals it. Above the configured amount — reckoned on the member's adjustments of one
// merchant-calendar day, so a large correction split into small ones still needs it — a second
// finance/owner account must approve; the requester never approves their own (also a CHECK in the
// database). Every step is audited.
import type { Db, Tx } from "../db";
import type { Prisma } from "../db/generated/client";
import { notify, refuse, type Ctx } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { lookupHash, normalisePhone } from "../auth/crypto";
import { fenToYuanString } from "../money";
import { localParts, nextLocalMidnight, zonedMidnight } from "../clock/time";
import { postLedger, walletOf } from "./ledger";
import { BUCKET_LABEL } from "./view";
import { ADJUSTABLE_BUCKETS, NOT_ADJUSTABLE_MESSAGE, type AdjustmentFilter, type AdjustmentRequest } from "./schemas";

function memberRefWhere(ref: string): Prisma.MemberWhereInput | null {
  const phone = normalisePhone(ref);
  if (phone) return { phoneHash: lookupHash(phone) };
  const id = /^#?(\d{1,9})$/.exec(ref.trim());
  return id ? { id: Number(id[1]) } : null;
}

/** A member by full phone number or id (#12 / 12), as finance identifies them. */
export async function findMemberByRef(tx: Tx | Db, ref: string) {
  const where = memberRefWhere(ref);
  if (!where) return null;
  return tx.member.findFirst({ where, select: { id: true, username: true, nickname: true, phoneMasked: true, frozen: true } });
}

/** Refuses a bucket finance may not correct; also checked on approval, for a request stored before `pending` was taken out. */
function adjustableBucket(bucket: string): (typeof ADJUSTABLE_BUCKETS)[number] {
  const found = ADJUSTABLE_BUCKETS.find((b) => b === bucket);
  if (!found) refuse("BUCKET_NOT_ADJUSTABLE", NOT_ADJUSTABLE_MESSAGE);
  return found;
}

/**
 * Refuses a deleted (注销) member: their wallet was closed out. FOR KEY SHARE, taken before the wallet as deletion takes
 * the member (FOR UPDATE) before it: a deletion under way is waited for and then seen, and none starts until commit.
 */
async function refuseDeletedMember(ctx: Ctx, memberId: number) {
  const [m] = await ctx.tx.$queryRaw<{ deletedAt: Date | null }[]>`SELECT "deletedAt" FROM "Member" WHERE id = ${memberId} FOR KEY SHARE`;
  if (m?.deletedAt) refuse("ADJUSTMENT_MEMBER_DELETED", "该会员已注销，不能调账");
}

async function apply(ctx: Ctx, a: { id: number; memberId: number; bucket: string; amountFen: number; reason: string }) {
  const bucket = adjustableBucket(a.bucket);
  // Serialise with withdrawals and other adjustments of this member so a debit cannot overdraw.
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${a.memberId} FOR UPDATE`;
  if (a.amountFen < 0 && (await walletOf(ctx, a.memberId))[bucket] < -a.amountFen) {
    refuse("INSUFFICIENT_BALANCE", `会员${BUCKET_LABEL[bucket]}余额不足，无法扣减 ${fenToYuanString(-a.amountFen)} 元`);
  }
  await postLedger(ctx, `adjustment:${a.id}`, "manual_adjustment", [
    { account: "merchant:adjustment", amountFen: -a.amountFen },
    { member: a.memberId, bucket, amountFen: a.amountFen },
  ], a.reason);
  await notify(ctx, a.memberId, "wallet", a.amountFen > 0 ? "wallet.credited" : "wallet.debited", { bucket, amountFen: Math.abs(a.amountFen), reason: a.reason });
}

/**
 * The size of the member's adjustments so far on the merchant-calendar day of `ctx.now` (credits and debits
 * alike, as the threshold is on the size), rejected ones aside. Read under the member's wallet lock.
 */
async function adjustedTodayFen(ctx: Ctx, memberId: number): Promise<number> {
  const tz = ctx.config.timeZone;
  const p = localParts(ctx.now, tz);
  const rows = await ctx.tx.ledgerAdjustment.findMany({
    where: { memberId, status: { not: "REJECTED" }, requestedAt: { gte: zonedMidnight(p.year, p.month, p.day, tz), lt: nextLocalMidnight(ctx.now, tz) } },
    select: { amountFen: true },
  });
  return rows.reduce((sum, r) => sum + Math.abs(r.amountFen), 0);
}

/**
 * Records an adjustment; applies it at once unless the member's day total passes the two-person threshold.
 * `requestKey` names one submission of the requester's dialog: the same key again (a resent request whose
 * answer was lost, a second click) returns the adjustment it made, as it is now, moving nothing; with other
 * facts it is refused.
 */
export async function requestAdjustment(ctx: Ctx, actor: StaffActor, input: AdjustmentRequest) {
  adjustableBucket(input.bucket);
  // Taken before any member or wallet lock: a second request with the key waits for the first to commit, whatever member it names.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('LedgerAdjustmentKey'), hashtext(${`${actor.staffId}:${input.requestKey}`}))`;
  const made = await ctx.tx.ledgerAdjustment.findUnique({ where: { requestedById_requestKey: { requestedById: actor.staffId, requestKey: input.requestKey } } });
  const member = await findMemberByRef(ctx.tx, input.member);
  if (made) {
    const same = member?.id === made.memberId && made.bucket === input.bucket && made.amountFen === input.amountFen && made.reason === input.reason;
    if (!same) refuse("ADJUSTMENT_KEY_REUSED", "这笔调账此前已按其他内容提交，请在调账列表中核对后再提交");
    return made;
  }
  if (!member) refuse("NO_SUCH_MEMBER", "找不到该会员，请输入完整手机号或会员 ID");
  await refuseDeletedMember(ctx, member.id);
  // Serialise with this member's other adjustments so two at once cannot both stay under the threshold.
  await ctx.tx.$queryRaw`SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${member.id} FOR UPDATE`;
  const dayTotalFen = (await adjustedTodayFen(ctx, member.id)) + Math.abs(input.amountFen);
  const needsApproval = dayTotalFen > ctx.config.adjustment.approvalAboveFen;
  const row = await ctx.tx.ledgerAdjustment.create({
    data: { memberId: member.id, bucket: input.bucket, amountFen: input.amountFen, reason: input.reason, status: needsApproval ? "PENDING_APPROVAL" : "APPLIED", requestedById: actor.staffId, requestedAt: ctx.now, decidedAt: needsApproval ? null : ctx.now, requestKey: input.requestKey },
  });
  const facts = { memberId: member.id, bucket: input.bucket, amountFen: input.amountFen, reason: input.reason };
  await audit(ctx.tx, { actor: staffActor(actor), action: "adjustment.requested", target: `adjustment:${row.id}`, after: { ...facts, status: row.status }, data: { approvalAboveFen: ctx.config.adjustment.approvalAboveFen, dayTotalFen }, requestId: actor.requestId, now: ctx.now });
  if (!needsApproval) {
    await apply(ctx, row);
    await audit(ctx.tx, { actor: staffActor(actor), action: "adjustment.applied", target: `adjustment:${row.id}`, after: { ...facts, status: "APPLIED" }, requestId: actor.requestId, now: ctx.now });
  }
  return row;
}

async function lockPending(ctx: Ctx, id: number) {
  await ctx.tx.$queryRaw`SELECT id FROM "LedgerAdjustment" WHERE id = ${id} FOR UPDATE`;
  const a = await ctx.tx.ledgerAdjustment.findUnique({ where: { id } });
  if (!a) refuse("NOT_FOUND", "调账记录不存在");
  if (a.status !== "PENDING_APPROVAL") refuse("NOT_PENDING", "该调账已处理");
  return a;
}

/** The second person's approval: applies the adjustment. The requester is refused. */
export async function approveAdjustment(ctx: Ctx, actor: StaffActor, id: number) {
  const a = await lockPending(ctx, id);
  if (a.requestedById === actor.staffId) refuse("SAME_PERSON", "不能审批自己提交的调账，需另一位财务或店主审批");
  // Deleted since it was requested: nothing is applied (it stays pending, to be rejected).
  await refuseDeletedMember(ctx, a.memberId);
  await apply(ctx, a);
  const row = await ctx.tx.ledgerAdjustment.update({ where: { id }, data: { status: "APPLIED", decidedById: actor.staffId, decidedAt: ctx.now } });
  await audit(ctx.tx, {
    actor: staffActor(actor), action: "adjustment.approved", target: `adjustment:${id}`,
    before: { status: a.status }, after: { status: "APPLIED" }, data: { memberId: a.memberId, bucket: a.bucket, amountFen: a.amountFen, requestedById: a.requestedById },
    requestId: actor.requestId, now: ctx.now,
  });
  return row;
}

/** Declines a pending adjustment (the requester may withdraw their own); nothing moves. */
export async function rejectAdjustment(ctx: Ctx, actor: StaffActor, id: number, note: string) {
  const a = await lockPending(ctx, id);
  const row = await ctx.tx.ledgerAdjustment.update({ where: { id }, data: { status: "REJECTED", decidedById: actor.staffId, decidedAt: ctx.now, decisionNote: note } });
  await audit(ctx.tx, {
    actor: staffActor(actor), action: "adjustment.rejected", target: `adjustment:${id}`,
    before: { status: a.status }, after: { status: "REJECTED" }, data: { note, memberId: a.memberId, amountFen: a.amountFen }, requestId: actor.requestId, now: ctx.now,
  });
  return row;
}

function where(f: AdjustmentFilter): Prisma.LedgerAdjustmentWhereInput {
  const and: Prisma.LedgerAdjustmentWhereInput[] = [];
  if (f.status) and.push({ status: f.status });
  if (f.member) {
    const m = memberRefWhere(f.member);
    and.push({ member: m ?? { OR: [{ nickname: { contains: f.member, mode: "insensitive" } }, { username: { contains: f.member, mode: "insensitive" } }] } });
  }
  return and.length ? { AND: and } : {};
}

const INCLUDE = {
  member: { select: { id: true, username: true, nickname: true, phoneMasked: true } },
  requestedBy: { select: { displayName: true } },
  decidedBy: { select: { displayName: true } },
} satisfies Prisma.LedgerAdjustmentInclude;

/** A page of adjustments, newest first; `canDecide` for rows the viewer may approve (not their own). */
export async function listAdjustments(db: Db, f: AdjustmentFilter & { page?: number; pageSize?: number }, viewerId: number) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const [rows, total] = await Promise.all([
    db.ledgerAdjustment.findMany({ where: where(f), orderBy: { id: "desc" }, skip: (page - 1) * pageSize, take: pageSize, include: INCLUDE }),
    db.ledgerAdjustment.count({ where: where(f) }),
  ]);
  return { total, items: rows.map((r) => ({ ...r, mine: r.requestedById === viewerId, canDecide: r.status === "PENDING_APPROVAL" && r.requestedById !== viewerId })) };
}

/** The CSV export, one page at a time: up to `take` adjustments after `after` (the previous page's last row) in the list's order, newest first, seeking by id. */
export function adjustmentExportPage(db: Db, f: AdjustmentFilter, after: { id: number } | null, take: number) {
  return db.ledgerAdjustment.findMany({ where: { AND: [where(f), after ? { id: { lt: after.id } } : {}] }, orderBy: { id: "desc" }, take, include: INCLUDE });
}

export function countAdjustments(db: Db, f: AdjustmentFilter) {
  return db.ledgerAdjustment.count({ where: where(f) });
}
