// Change sponsor 改绑上级 (issue 9): a member and their whole downline move under another sponsor.
// SPEC §2 binds once at sign-up; this is the merchant's override of that binding, so it is guarded:
// a loop check, a preview, a reason, a request by staff and an approval by a *different* owner
// (four eyes, as for large withdrawals in §6), an append-only bind history, and a batched background
// move (one sponsor change runs at a time, so no two moves ever interleave on the tree).
//
// What moves: the sponsor-tree closure rows of the moved members towards the ancestors above the
// member, the per-depth downline counters and team sizes of those ancestors, qualified directs (§4)
// between the old and new sponsor, and the gmv credits (§7) of the moved members' completed orders —
// afterwards every counter equals what sign-up under the new sponsor would have produced.
// What stays: commissions are fixed at payment to the ancestors the buyer had then (§4 "On PAID,
// each ancestor … earns"), and their money already sits in those members' `pending` bucket of an
// immutable ledger (§6): PENDING / CONFIRMED commissions stay with the old upline and settle to it;
// SETTLED (earned) ones never move. Orders paid once the move has started earn for the new upline,
// whichever batch has their buyer (ancestorsWithRunningMoveSql); an approval starts the move at once
// unless another one runs. Rebate task assignments (§5) already made stay too. The matrix seat does
// not move: seats fill in global sign-up order (§3 全网统一排位) and moving one would displace members
// who are not in this downline.
import type { Db, Tx } from "../db";
import { Prisma } from "../db";
import { inTx, loadConfig, refuse, DomainError, type Ctx } from "../context";
import { normaliseCode } from "../referral/codes";
import { audit, staffActor, type StaffActor } from "../audit";
import { gmv90Of, recomputeTiers, tierFor } from "../tiers";
import { runBatched, type BatchedJob, type BatchRunOptions } from "../scheduler/batches";
import { scheduleDue } from "../scheduler/due";
import { lockPlacement } from "../matrix";

export const REASON_MIN = 2;
export const REASON_MAX = 200;
/** Rows of the preview's lists (the counts and sums cover everything). */
const PREVIEW_ROWS = 20;
export const SPONSOR_CHANGE_BATCH = 500;

const OPEN_STATUSES = ["PENDING", "APPROVED", "RUNNING"] as const;

function checkReason(reason: string): string {
  const why = reason.trim();
  if (why.length < REASON_MIN || why.length > REASON_MAX) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  return why;
}

/** A sponsor given as a referral code or as a member id ("#12" or "12"). */
export async function resolveMemberRef(tx: Tx | Db, ref: string): Promise<number | null> {
  const s = ref.trim();
  const byId = /^#\d{1,9}$/.test(s) ? Number(s.slice(1)) : null;
  if (byId !== null) return (await tx.member.findUnique({ where: { id: byId }, select: { id: true } }))?.id ?? null;
  const code = normaliseCode(s);
  if (code) {
    const m = await tx.member.findUnique({ where: { referralCode: code }, select: { id: true } });
    if (m) return m.id;
  }
  if (/^\d{1,9}$/.test(s)) return (await tx.member.findUnique({ where: { id: Number(s) }, select: { id: true } }))?.id ?? null;
  return null;
}

interface Anc {
  id: number;
  /** Depth above the moved member (1 = its sponsor). */
  depth: number;
}

interface Plan {
  member: { id: number; name: string; sponsorId: number | null; teamSize: number; paidUnrefundedCount: number };
  from: { id: number; name: string } | null;
  to: { id: number; name: string };
  oldAnc: Anc[];
  newAnc: Anc[];
}

const nameOf = (m: { nickname: string | null; username: string }) => m.nickname ?? m.username;

/** Checks the move and returns the ancestors above the member before and after. Refuses a loop. */
async function planMove(tx: Tx, memberId: number, toSponsorId: number): Promise<Plan> {
  const select = { id: true, nickname: true, username: true, sponsorId: true, teamSize: true, paidUnrefundedCount: true, signupDevice: true, deletedAt: true } as const;
  const m = await tx.member.findUnique({ where: { id: memberId }, select });
  if (!m) refuse("MEMBER_NOT_FOUND", "会员不存在");
  const to = await tx.member.findUnique({ where: { id: toSponsorId }, select });
  if (!to) refuse("SPONSOR_NOT_FOUND", "新推荐人不存在");
  if (to.id === m.id) refuse("SPONSOR_IS_SELF", "不能把会员绑定到自己名下");
  if (m.sponsorId === to.id) refuse("SAME_SPONSOR", "新推荐人与当前推荐人相同");
  // A deleted account binds nobody any more (its share links are dead): no downline is moved under it either.
  if (to.deletedAt) refuse("SPONSOR_DELETED", "新推荐人已注销，不能改绑到其名下");
  // SPEC §2 refuses a sponsor on the member's own sign-up device (self-referral): a change may not bind it after all.
  if (m.signupDevice && m.signupDevice === to.signupDevice) refuse("SPONSOR_SHARES_DEVICE", "新推荐人与该会员注册设备相同（疑似自己邀请自己），不能改绑");
  // The loop check: the new sponsor must not sit in the member's own downline.
  const inDownline = await tx.sponsorClosure.findUnique({ where: { ancestorId_descendantId: { ancestorId: m.id, descendantId: to.id } }, select: { depth: true } });
  if (inDownline) refuse("SPONSOR_IN_DOWNLINE", `新推荐人是该会员的第 ${inDownline.depth} 级下级，改绑会形成循环`);
  const [oldRows, newRows, from] = await Promise.all([
    tx.sponsorClosure.findMany({ where: { descendantId: m.id }, orderBy: { depth: "asc" }, select: { ancestorId: true, depth: true } }),
    tx.sponsorClosure.findMany({ where: { descendantId: to.id }, orderBy: { depth: "asc" }, select: { ancestorId: true, depth: true } }),
    m.sponsorId ? tx.member.findUnique({ where: { id: m.sponsorId }, select: { id: true, nickname: true, username: true } }) : null,
  ]);
  return {
    member: { id: m.id, name: nameOf(m), sponsorId: m.sponsorId, teamSize: m.teamSize, paidUnrefundedCount: m.paidUnrefundedCount },
    from: from ? { id: from.id, name: nameOf(from) } : null,
    to: { id: to.id, name: nameOf(to) },
    oldAnc: oldRows.map((r) => ({ id: r.ancestorId, depth: r.depth })),
    newAnc: [{ id: to.id, depth: 1 }, ...newRows.map((r) => ({ id: r.ancestorId, depth: r.depth + 1 }))],
  };
}

export interface SponsorChangePreview {
  member: { id: number; name: string };
  from: { id: number; name: string } | null;
  to: { id: number; name: string };
  /** The member and their downline. */
  movedCount: number;
  /** The moved members by depth below the member (0 = the member). */
  levels: { depth: number; count: number }[];
  closure: { removed: number; added: number };
  /** Ancestors that lose / gain the moved team (shared ancestors only see depths change). */
  ancestorsLosing: number;
  ancestorsGaining: number;
  /** Qualified directs move from the old to the new sponsor when the member has a paid, unrefunded order. */
  qualifiedDirectMoves: boolean;
  /** Ancestors whose tier the move changes (stored tier → tier on the moved metrics). */
  tiers: { id: number; name: string; from: string; to: string }[];
  /** Unsettled commissions of the moved members' orders that stay with their beneficiaries above the member. */
  pendingStay: { count: number; amountFen: number; rows: { id: number; orderNo: string; level: number; status: string; amountFen: number; beneficiaryId: number; beneficiaryName: string }[] };
  /** Settled commissions of those orders: earned, never moved. */
  settledStay: { count: number; amountFen: number };
  /** Another sponsor change is running: this preview may change before the move starts. */
  anotherRunning: boolean;
}

/** The new sponsor: a member id, or what staff typed (referral code or "#id"). */
export type SponsorRef = number | string;

async function sponsorIdOf(tx: Tx, ref: SponsorRef): Promise<number> {
  const id = typeof ref === "number" ? ref : await resolveMemberRef(tx, ref);
  if (id === null) refuse("SPONSOR_NOT_FOUND", "找不到该邀请码或会员编号");
  return id;
}

/** What the move would change, computed from the tree as it is now (nothing is written). */
export async function previewSponsorChange(ctx: Pick<Ctx, "tx" | "now" | "config">, memberId: number, to: SponsorRef): Promise<SponsorChangePreview> {
  const { tx } = ctx;
  const plan = await planMove(tx, memberId, await sponsorIdOf(tx, to));
  const levelRows = await tx.downlineLevelCount.findMany({ where: { memberId, count: { gt: 0 } }, orderBy: { depth: "asc" }, select: { depth: true, count: true } });
  const levels = [{ depth: 0, count: 1 }, ...levelRows];
  const moved = levels.reduce((s, l) => s + l.count, 0);
  const oldIds = new Set(plan.oldAnc.map((a) => a.id));
  const newIds = new Set(plan.newAnc.map((a) => a.id));
  const affected = [...new Set([...oldIds, ...newIds])];

  // Tier projection: team ± moved, directs ∓ 1 at the two sponsors, gmv90 ± the moved team's gmv90 (SPEC §7).
  const qualified = plan.member.paidUnrefundedCount > 0;
  // The moved member's and every affected ancestor's gmv90 in one statement, however deep the two uplines.
  const [gmv, people] = await Promise.all([
    gmv90Of(ctx, [memberId, ...affected]),
    tx.member.findMany({ where: { id: { in: affected } }, select: { id: true, nickname: true, username: true, tier: true, qualifiedDirects: true, teamSize: true } }),
  ]);
  const movedGmv = gmv.get(memberId) ?? 0;
  const tiers: SponsorChangePreview["tiers"] = [];
  for (const p of people) {
    const sign = (newIds.has(p.id) ? 1 : 0) - (oldIds.has(p.id) ? 1 : 0);
    const directs = p.qualifiedDirects + (qualified ? (p.id === plan.to.id ? 1 : 0) - (p.id === plan.member.sponsorId ? 1 : 0) : 0);
    const after = tierFor(ctx.config, { directs, team: p.teamSize + sign * moved, gmv90: (gmv.get(p.id) ?? 0) + sign * movedGmv }).name;
    if (after !== p.tier) tiers.push({ id: p.id, name: nameOf(p), from: p.tier, to: after });
  }

  const oldAbove = plan.oldAnc.map((a) => a.id);
  const commissionWhere = Prisma.sql`FROM "Commission" c JOIN "Order" o ON o.id = c."orderId"
    WHERE c."beneficiaryId" = ANY(${oldAbove}::int[])
      AND (o."memberId" = ${memberId} OR o."memberId" IN (SELECT "descendantId" FROM "SponsorClosure" WHERE "ancestorId" = ${memberId}))`;
  const [sums, pendingRows] = oldAbove.length
    ? await Promise.all([
        tx.$queryRaw<{ status: string; n: number; fen: number }[]>`SELECT c.status::text AS status, count(*)::int AS n, COALESCE(sum(c."amountFen"), 0)::int AS fen ${commissionWhere}
          AND c.status IN ('PENDING', 'CONFIRMED', 'SETTLED') GROUP BY c.status`,
        tx.$queryRaw<{ id: number; orderNo: string; level: number; status: string; amountFen: number; beneficiaryId: number }[]>`
          SELECT c.id, o."orderNo", c.level, c.status::text AS status, c."amountFen", c."beneficiaryId" ${commissionWhere}
          AND c.status IN ('PENDING', 'CONFIRMED') ORDER BY c.id DESC LIMIT ${PREVIEW_ROWS}`,
      ])
    : [[], []];
  const names = new Map(people.map((p) => [p.id, nameOf(p)]));
  const sum = (statuses: string[]) => sums.filter((s) => statuses.includes(s.status)).reduce((a, s) => ({ count: a.count + s.n, amountFen: a.amountFen + s.fen }), { count: 0, amountFen: 0 });
  const running = await tx.sponsorChangeRequest.count({ where: { status: "RUNNING" } });
  return {
    member: { id: plan.member.id, name: plan.member.name },
    from: plan.from,
    to: plan.to,
    movedCount: moved,
    levels,
    closure: { removed: plan.oldAnc.length * moved, added: plan.newAnc.length * moved },
    ancestorsLosing: [...oldIds].filter((id) => !newIds.has(id)).length,
    ancestorsGaining: [...newIds].filter((id) => !oldIds.has(id)).length,
    qualifiedDirectMoves: qualified && plan.member.sponsorId !== null,
    tiers,
    pendingStay: { ...sum(["PENDING", "CONFIRMED"]), rows: pendingRows.map((r) => ({ ...r, beneficiaryName: names.get(r.beneficiaryId) ?? `#${r.beneficiaryId}` })) },
    settledStay: sum(["SETTLED"]),
    anotherRunning: running > 0,
  };
}

/** Staff (operator or owner) ask for a sponsor change; an owner other than them decides. Audited. */
export async function requestSponsorChange(ctx: Ctx, input: { memberId: number; to: SponsorRef; reason: string }, actor: StaffActor) {
  const reason = checkReason(input.reason);
  const preview = await previewSponsorChange(ctx, input.memberId, input.to);
  let request;
  try {
    request = await ctx.tx.sponsorChangeRequest.create({
      data: {
        memberId: input.memberId,
        fromSponsorId: preview.from?.id ?? null,
        toSponsorId: preview.to.id,
        reason,
        requestedById: actor.staffId,
        requestedAt: ctx.now,
        preview: JSON.parse(JSON.stringify(preview)) as object,
        requestId: actor.requestId ?? null,
      },
    });
  } catch (e) {
    // The partial unique index: one open request per member, whoever asks at the same moment.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") refuse("CHANGE_ALREADY_OPEN", "该会员已有待处理的改绑申请");
    throw e;
  }
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "member.sponsor_change_requested",
    target: `member:${input.memberId}`,
    before: { sponsorId: preview.from?.id ?? null },
    after: { sponsorId: preview.to.id },
    data: { reason, changeRequestId: request.id, movedCount: preview.movedCount },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return { id: request.id, preview };
}

/**
 * An owner approves or rejects a PENDING request. The requester may not decide their own request
 * (four eyes). The conditional update makes two decisions at once count once: the second is refused.
 * An approval starts the move unless another one runs, and queues its batches as a due transition
 * (the scheduler or Inngest runs them at once).
 */
export async function decideSponsorChange(ctx: Ctx, requestId: number, approve: boolean, note: string | null, actor: StaffActor) {
  const req = await ctx.tx.sponsorChangeRequest.findUnique({ where: { id: requestId } });
  if (!req) refuse("CHANGE_NOT_FOUND", "改绑申请不存在");
  if (req.requestedById === actor.staffId) refuse("SELF_APPROVAL", "不能审批自己提交的改绑申请");
  const why = note?.trim() || null;
  if (!approve && (!why || why.length < REASON_MIN)) refuse("INVALID_REASON", "驳回请填写原因（2-200 字）");
  if (why && why.length > REASON_MAX) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  const status = approve ? "APPROVED" : "REJECTED";
  const changed = await ctx.tx.sponsorChangeRequest.updateMany({
    where: { id: requestId, status: "PENDING" },
    data: { status, decidedById: actor.staffId, decidedAt: ctx.now, decisionNote: why },
  });
  if (changed.count === 0) refuse("CHANGE_NOT_PENDING", "该改绑申请已处理");
  // After the claim: an approval that won it may have moved the member already (SAME_SPONSOR for the loser otherwise).
  if (approve) await planMove(ctx.tx, req.memberId, req.toSponsorId); // still no loop, still a change
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: approve ? "member.sponsor_change_approved" : "member.sponsor_change_rejected",
    target: `member:${req.memberId}`,
    before: { status: "PENDING" },
    after: { status },
    data: { changeRequestId: requestId, fromSponsorId: req.fromSponsorId, toSponsorId: req.toSponsorId, ...(why ? { note: why } : {}) },
    requestId: actor.requestId,
    now: ctx.now,
  });
  if (approve) {
    // Takes effect with the approval when no other move runs (a queued one takes effect when it starts).
    await startNext(ctx);
    await scheduleDue(ctx, "SPONSOR_CHANGE", requestId, ctx.now);
  }
  return { id: requestId, status };
}

/**
 * The requester withdraws their own PENDING request (撤回): it can then be asked again, corrected. Only the
 * requester: another owner rejects instead, and a decided request is past withdrawing. Audited.
 */
export async function withdrawSponsorChange(ctx: Ctx, requestId: number, note: string | null, actor: StaffActor) {
  const req = await ctx.tx.sponsorChangeRequest.findUnique({ where: { id: requestId } });
  if (!req) refuse("CHANGE_NOT_FOUND", "改绑申请不存在");
  if (req.requestedById !== actor.staffId) refuse("NOT_REQUESTER", "只能撤回自己提交的改绑申请");
  const why = note?.trim() || null;
  if (why && why.length > REASON_MAX) refuse("INVALID_REASON", "请填写原因（2-200 字）");
  // Conditional, as a decision is: an owner's approval at the same moment wins or loses as a whole.
  const changed = await ctx.tx.sponsorChangeRequest.updateMany({
    where: { id: requestId, status: "PENDING" },
    data: { status: "WITHDRAWN", decidedById: actor.staffId, decidedAt: ctx.now, decisionNote: why },
  });
  if (changed.count === 0) refuse("CHANGE_NOT_PENDING", "该改绑申请已处理");
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "member.sponsor_change_withdrawn",
    target: `member:${req.memberId}`,
    before: { status: "PENDING" },
    after: { status: "WITHDRAWN" },
    data: { changeRequestId: requestId, fromSponsorId: req.fromSponsorId, toSponsorId: req.toSponsorId, ...(why ? { note: why } : {}) },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return { id: requestId, status: "WITHDRAWN" as const };
}

const jobKey = (id: number) => `sponsor_change:${id}`;

/** The longest a sign-up's transaction can wait and run (server/context.ts inTx: maxWait + timeout), with margin. */
const SIGNUP_WAIT_MS = 5 * 60_000;

type StartOutcome = "started" | "busy" | "none";

/**
 * Starts the oldest approved request when nothing else runs: re-checks it on today's tree, takes the
 * snapshots, and switches the member's own binding — the instant the change takes effect.
 */
async function startNext(ctx: Ctx): Promise<StartOutcome> {
  // Starters (runners, approvals) one at a time, so the check below sees a move another one started.
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('SponsorChangeStart'))`;
  const running = await ctx.tx.$queryRaw<{ id: number }[]>`SELECT id FROM "SponsorChangeRequest" WHERE status = 'RUNNING' LIMIT 1`;
  if (running.length) return "busy";
  const [next] = await ctx.tx.$queryRaw<{ id: number }[]>`
    SELECT id FROM "SponsorChangeRequest" WHERE status = 'APPROVED' ORDER BY "decidedAt", id LIMIT 1 FOR UPDATE SKIP LOCKED`;
  if (!next) return "none";
  const req = await ctx.tx.sponsorChangeRequest.findUniqueOrThrow({ where: { id: next.id } });
  let plan: Plan | null = null;
  let failure: string | null = null;
  try {
    plan = await planMove(ctx.tx, req.memberId, req.toSponsorId);
    if (plan.member.sponsorId !== req.fromSponsorId) failure = "推荐人在申请后已变更";
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    failure = e.message;
  }
  if (failure || !plan) {
    await ctx.tx.sponsorChangeRequest.update({ where: { id: req.id }, data: { status: "FAILED", failureReason: failure, finishedAt: ctx.now } });
    await audit(ctx.tx, { actor: { type: "system" }, action: "member.sponsor_change_failed", target: `member:${req.memberId}`, data: { changeRequestId: req.id, reason: failure }, now: ctx.now });
    return "started";
  }
  const subtreeSize = plan.member.teamSize + 1;
  // Backed by the partial unique index on RUNNING.
  await ctx.tx.sponsorChangeRequest.update({
    where: { id: req.id },
    data: { status: "RUNNING", startedAt: ctx.now, subtreeSize, oldAncestorIds: plan.oldAnc.map((a) => a.id), newAncestorIds: plan.newAnc.map((a) => a.id) },
  });
  await bindToTarget(ctx, req.memberId, req.toSponsorId);
  return "started";
}

// A payment locks its buyer, then the buyer's sponsor (server/orders onOrderPaid): a move locks members bottom-up too, or the two deadlock.

/** Members of the moving team (ids), deepest below the moved member first; closure rows below it never change during its move. */
async function lockTeamDeepestFirst(ctx: Ctx, memberId: number, ids: number[]) {
  await ctx.tx.$queryRaw`SELECT id FROM "Member" x WHERE id = ANY(${ids}::int[])
    ORDER BY (SELECT depth FROM "SponsorClosure" c WHERE c."ancestorId" = ${memberId} AND c."descendantId" = x.id) DESC NULLS LAST, id FOR NO KEY UPDATE`;
}

/** Members above the moving team, deepest in the tree first (their closure rows never change during the move). */
async function lockAncestorsDeepestFirst(ctx: Ctx, ids: number[]) {
  await ctx.tx.$queryRaw`SELECT id FROM "Member" x WHERE id = ANY(${ids}::int[])
    ORDER BY (SELECT count(*) FROM "SponsorClosure" c WHERE c."descendantId" = x.id) DESC, id FOR NO KEY UPDATE`;
}

/**
 * Switches the moved member's own binding (a no-op once done). Its payments (qualified directs, the 推三返一
 * invitee, §4 §5) read its sponsor from its row: a payment holding the row went first, one waiting for it
 * sees the new sponsor; the paid count is read under the lock.
 */
async function bindToTarget(ctx: Ctx, memberId: number, toSponsorId: number) {
  const [me] = await ctx.tx.$queryRaw<{ sponsorId: number | null; paidUnrefundedCount: number }[]>`
    SELECT "sponsorId", "paidUnrefundedCount" FROM "Member" WHERE id = ${memberId} FOR NO KEY UPDATE`;
  if (!me || me.sponsorId === toSponsorId) return;
  await ctx.tx.member.update({ where: { id: memberId }, data: { sponsorId: toSponsorId } });
  if (me.paidUnrefundedCount > 0) {
    if (me.sponsorId) {
      await lockAncestorsDeepestFirst(ctx, [me.sponsorId, toSponsorId]);
      await ctx.tx.member.update({ where: { id: me.sponsorId }, data: { qualifiedDirects: { decrement: 1 } } });
    }
    await ctx.tx.member.update({ where: { id: toSponsorId }, data: { qualifiedDirects: { increment: 1 } } });
  }
}

/**
 * The buyer's sponsor-tree ancestors (id, depth ≤ maxDepth) as a payment sees them: while a move runs, a
 * member of the moving team has the target upline from the start on, whether or not its batch ran. Rows
 * up to the moved member never change during the move, the target's own rows neither (it is not in the
 * team). One statement, one snapshot: the move not yet started (old rows only) or RUNNING.
 */
export function ancestorsWithRunningMoveSql(buyerId: number, maxDepth: number): Prisma.Sql {
  return Prisma.sql`WITH mv AS (
      SELECT r."toSponsorId" AS t, COALESCE(c.depth, 0) AS rd FROM "SponsorChangeRequest" r
      LEFT JOIN "SponsorClosure" c ON c."ancestorId" = r."memberId" AND c."descendantId" = ${buyerId}
      WHERE r.status = 'RUNNING' AND (r."memberId" = ${buyerId} OR c.depth IS NOT NULL))
    SELECT "ancestorId" AS id, depth FROM "SponsorClosure"
      WHERE "descendantId" = ${buyerId} AND depth <= LEAST(${maxDepth}::int, COALESCE((SELECT rd FROM mv), ${maxDepth}::int))
    UNION ALL SELECT t, rd + 1 FROM mv WHERE rd < ${maxDepth}::int
    UNION ALL SELECT c."ancestorId", c.depth + mv.rd + 1 FROM mv JOIN "SponsorClosure" c ON c."descendantId" = mv.t
      WHERE c.depth + mv.rd < ${maxDepth}::int`;
}

/**
 * One batch of a move: for each moved member, its closure rows towards the ancestors above the moved
 * member are deleted and written again for the new ancestors; counters follow the rows actually
 * deleted and inserted, so a repeated or overlapping batch (a sign-up under a moved member meanwhile)
 * still leaves them exact. Gmv credits of the batch's orders follow the same way.
 */
async function moveBatch(ctx: Ctx, req: { id: number; memberId: number; toSponsorId: number; oldAncestorIds: number[]; newAncestorIds: number[] }, ids: number[]) {
  const { tx } = ctx;
  const m = req.memberId;
  // Sign-ups copy closure rows behind the placement lock: none does during a batch, so none copies half-moved rows.
  await lockPlacement(ctx);
  // Completions of the batch's members (gmv credits) wait for it, or went first.
  // NO KEY: a sign-up under one of them holds its key share (the new row's sponsor key) while it waits for the placement lock.
  await lockTeamDeepestFirst(ctx, m, ids);
  const affected = [...new Set([...req.oldAncestorIds, ...req.newAncestorIds])];
  // New ancestors with their depth above the moved member, from the closure as it is (stable: nothing else moves).
  const newAnc = await tx.$queryRaw<{ id: number; depth: number }[]>`
    SELECT ${req.toSponsorId}::int AS id, 1 AS depth
    UNION ALL SELECT "ancestorId", depth + 1 FROM "SponsorClosure" WHERE "descendantId" = ${req.toSponsorId}`;
  const ancIds = newAnc.map((a) => a.id);
  const ancDepths = newAnc.map((a) => a.depth);
  const rel = Prisma.sql`SELECT d.id, COALESCE(c.depth, 0) AS rd FROM unnest(${ids}::int[]) AS d(id)
    LEFT JOIN "SponsorClosure" c ON c."ancestorId" = ${m} AND c."descendantId" = d.id`;

  const deleted = await tx.$queryRaw<{ a: number; depth: number; n: number }[]>`
    WITH del AS (DELETE FROM "SponsorClosure" WHERE "descendantId" = ANY(${ids}::int[]) AND "ancestorId" = ANY(${affected}::int[]) RETURNING "ancestorId", depth)
    SELECT "ancestorId" AS a, depth, count(*)::int AS n FROM del GROUP BY 1, 2`;
  const inserted = await tx.$queryRaw<{ a: number; depth: number; n: number }[]>`
    WITH rel AS (${rel}),
    ins AS (INSERT INTO "SponsorClosure" ("ancestorId", "descendantId", depth)
      SELECT a.id, rel.id, a.depth + rel.rd FROM unnest(${ancIds}::int[], ${ancDepths}::int[]) AS a(id, depth) CROSS JOIN rel
      ON CONFLICT DO NOTHING RETURNING "ancestorId", depth)
    SELECT "ancestorId" AS a, depth, count(*)::int AS n FROM ins GROUP BY 1, 2`;

  const delta = new Map<string, number>();
  const team = new Map<number, number>();
  for (const [rows, sign] of [[deleted, -1], [inserted, 1]] as const) {
    for (const r of rows) {
      const k = `${r.a}:${r.depth}`;
      delta.set(k, (delta.get(k) ?? 0) + sign * r.n);
      team.set(r.a, (team.get(r.a) ?? 0) + sign * r.n);
    }
  }
  const changes = [...delta].filter(([, n]) => n !== 0).map(([k, n]) => [...k.split(":").map(Number), n] as [number, number, number]);
  if (changes.length) {
    await tx.$executeRaw`INSERT INTO "DownlineLevelCount" ("memberId", depth, count)
      SELECT * FROM unnest(${changes.map((c) => c[0])}::int[], ${changes.map((c) => c[1])}::int[], ${changes.map((c) => c[2])}::int[])
      ON CONFLICT ("memberId", depth) DO UPDATE SET count = "DownlineLevelCount".count + EXCLUDED.count`;
    // Sign-up never leaves a zero counter: neither does a move.
    await tx.$executeRaw`DELETE FROM "DownlineLevelCount" WHERE "memberId" = ANY(${affected}::int[]) AND count = 0`;
  }
  const teams = [...team].filter(([, n]) => n !== 0);
  if (teams.length) {
    await lockAncestorsDeepestFirst(ctx, teams.map((t) => t[0]));
    await tx.$executeRaw`UPDATE "Member" SET "teamSize" = "teamSize" + t.n
      FROM unnest(${teams.map((t) => t[0])}::int[], ${teams.map((t) => t[1])}::int[]) AS t(id, n) WHERE "Member".id = t.id`;
  }

  // Gmv credits (SPEC §7 gmv90, team bonus depths) of the batch's completed orders follow the tree.
  await tx.$executeRaw`DELETE FROM "GmvCredit" WHERE "memberId" = ANY(${affected}::int[])
    AND "orderId" IN (SELECT "orderId" FROM "GmvCredit" WHERE "memberId" = ANY(${ids}::int[]) AND depth = 0)`;
  await tx.$executeRaw`WITH rel AS (${rel})
    INSERT INTO "GmvCredit" ("memberId", "orderId", depth, "amountFen", "completedAt")
    SELECT a.id, g."orderId", a.depth + rel.rd, g."amountFen", g."completedAt"
    FROM "GmvCredit" g JOIN rel ON g."memberId" = rel.id AND g.depth = 0
    CROSS JOIN unnest(${ancIds}::int[], ${ancDepths}::int[]) AS a(id, depth)
    ON CONFLICT DO NOTHING`;
  return ids.length;
}

function moveJob(req: Parameters<typeof moveBatch>[1], batchSize?: number): BatchedJob {
  return {
    key: jobKey(req.id),
    batchSize: batchSize ?? SPONSOR_CHANGE_BATCH,
    // The member and their downline by id (closure rows below the member never change during its move).
    nextIds: async (ctx, afterId, limit) =>
      (await ctx.tx.$queryRaw<{ id: number }[]>`
        SELECT id FROM (SELECT ${req.memberId}::int AS id UNION ALL SELECT "descendantId" FROM "SponsorClosure" WHERE "ancestorId" = ${req.memberId}) s
        WHERE id > ${afterId} ORDER BY id LIMIT ${limit}`).map((r) => r.id),
    processBatch: (ctx, ids) => moveBatch(ctx, req, ids),
  };
}

/** Closes a finished move: the members the batches missed, bind history, tiers of everyone above before and after, the audit entry. */
async function finish(ctx: Ctx, requestId: number): Promise<boolean> {
  const [row] = await ctx.tx.$queryRaw<{ id: number }[]>`SELECT id FROM "SponsorChangeRequest" WHERE id = ${requestId} AND status = 'RUNNING' FOR UPDATE`;
  if (!row) return false;
  const req = await ctx.tx.sponsorChangeRequest.findUniqueOrThrow({ where: { id: requestId } });
  // The placement lock before any member row, as sign-ups and batches take them.
  await lockPlacement(ctx);
  // A sign-up draws its id before it waits for the placement lock, so one under a member not yet moved can land
  // behind the cursor with the old rows. Only members who signed up since the move started (less the longest a
  // sign-up's transaction may wait) can: those without the target right above the moved member move now. The
  // depth matters: moved up to an ancestor, the target was above them before too.
  const since = new Date(req.startedAt!.getTime() - SIGNUP_WAIT_MS);
  const behind = (
    await ctx.tx.$queryRaw<{ id: number }[]>`
      WITH recent AS MATERIALIZED (SELECT id FROM "Member" WHERE "createdAt" >= ${since}),
      team AS (SELECT ${req.memberId}::int AS id, 0 AS depth
               UNION ALL SELECT c."descendantId", c.depth FROM recent r JOIN "SponsorClosure" c ON c."ancestorId" = ${req.memberId} AND c."descendantId" = r.id)
      SELECT d.id FROM team d
      WHERE NOT EXISTS (SELECT 1 FROM "SponsorClosure" t WHERE t."ancestorId" = ${req.toSponsorId} AND t."descendantId" = d.id AND t.depth = d.depth + 1)
      ORDER BY d.id`
  ).map((r) => r.id);
  // Every member row this transaction writes, in the payments' order, before the first write.
  await lockTeamDeepestFirst(ctx, req.memberId, [req.memberId, ...behind]);
  const ancestors = [...new Set([...req.oldAncestorIds, ...req.newAncestorIds])];
  await lockAncestorsDeepestFirst(ctx, ancestors);
  // A move started by an earlier release switched the binding in its batch instead: done here if it has not.
  await bindToTarget(ctx, req.memberId, req.toSponsorId);
  if (behind.length) {
    await moveBatch(ctx, req, behind);
    await ctx.tx.jobCursor.update({ where: { key: jobKey(requestId) }, data: { processed: { increment: behind.length } } });
  }
  const cursor = await ctx.tx.jobCursor.findUnique({ where: { key: jobKey(requestId) } });
  await ctx.tx.sponsorChangeRequest.update({ where: { id: requestId }, data: { status: "DONE", finishedAt: ctx.now } });
  await ctx.tx.sponsorBindHistory.create({
    data: {
      memberId: req.memberId,
      fromSponsorId: req.fromSponsorId,
      toSponsorId: req.toSponsorId,
      changeRequestId: req.id,
      reason: req.reason,
      requestedById: req.requestedById,
      approvedById: req.decidedById!,
      movedCount: cursor?.processed ?? req.subtreeSize,
      createdAt: ctx.now,
    },
  });
  await recomputeTiers(ctx, ancestors);
  await audit(ctx.tx, {
    actor: { type: "system" },
    action: "member.sponsor_changed",
    target: `member:${req.memberId}`,
    before: { sponsorId: req.fromSponsorId },
    after: { sponsorId: req.toSponsorId },
    data: { changeRequestId: req.id, movedCount: cursor?.processed ?? req.subtreeSize, requestedById: req.requestedById, approvedById: req.decidedById, reason: req.reason },
    now: ctx.now,
  });
  return true;
}

/**
 * Runs the queue of approved sponsor changes, one at a time, each in batches of its own transactions
 * (resumable through its JobCursor; concurrent runners share the work and never do a batch twice).
 * Returns how many moves this call finished.
 */
export async function runSponsorChanges(db: Db, opts: Omit<BatchRunOptions, "maxBatches"> & { maxBatches?: number }): Promise<number> {
  const config = opts.config ?? (await loadConfig(db));
  let finished = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const running = await db.sponsorChangeRequest.findFirst({ where: { status: "RUNNING" } });
    if (running) {
      const r = await runBatched(db, moveJob(running, opts.batchSize), { ...opts, config });
      if (!r.done) return finished; // stopped by maxBatches (tests): resumed by the next run
      if (await inTx(db, { ...opts, config }, (ctx) => finish(ctx, running.id))) finished++;
      continue;
    }
    if ((await inTx(db, { ...opts, config }, startNext)) === "none") return finished;
  }
  return finished;
}

/** Progress of a request's move: members moved so far of the subtree (JobCursor). */
async function progressOf(db: Db | Tx, ids: number[]) {
  const cursors = ids.length ? await db.jobCursor.findMany({ where: { key: { in: ids.map(jobKey) } }, select: { key: true, processed: true } }) : [];
  return new Map(cursors.map((c) => [Number(c.key.split(":")[1]), c.processed]));
}

/** Requests (newest first) with names and progress, for a member or the whole shop's open ones. */
export async function listSponsorChanges(db: Db, f: { memberId?: number; open?: boolean }, take = 50) {
  const rows = await db.sponsorChangeRequest.findMany({
    where: { ...(f.memberId ? { memberId: f.memberId } : {}), ...(f.open ? { status: { in: [...OPEN_STATUSES] } } : {}) },
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    take,
  });
  const memberIds = [...new Set(rows.flatMap((r) => [r.memberId, r.fromSponsorId, r.toSponsorId].filter((x): x is number => x !== null)))];
  const staffIds = [...new Set(rows.flatMap((r) => [r.requestedById, r.decidedById].filter((x): x is number => x !== null)))];
  const [members, staff, progress] = await Promise.all([
    db.member.findMany({ where: { id: { in: memberIds } }, select: { id: true, nickname: true, username: true } }),
    db.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } }),
    progressOf(db, rows.filter((r) => r.status === "RUNNING" || r.status === "DONE").map((r) => r.id)),
  ]);
  const mName = new Map(members.map((m) => [m.id, nameOf(m)]));
  const sName = new Map(staff.map((s) => [s.id, s.displayName]));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    member: { id: r.memberId, name: mName.get(r.memberId) ?? `#${r.memberId}` },
    from: r.fromSponsorId ? { id: r.fromSponsorId, name: mName.get(r.fromSponsorId) ?? `#${r.fromSponsorId}` } : null,
    to: { id: r.toSponsorId, name: mName.get(r.toSponsorId) ?? `#${r.toSponsorId}` },
    reason: r.reason,
    requestedBy: { id: r.requestedById, name: sName.get(r.requestedById) ?? `#${r.requestedById}` },
    requestedAt: r.requestedAt,
    decidedBy: r.decidedById ? { id: r.decidedById, name: sName.get(r.decidedById) ?? `#${r.decidedById}` } : null,
    decidedAt: r.decidedAt,
    decisionNote: r.decisionNote,
    failureReason: r.failureReason,
    preview: r.preview as unknown as SponsorChangePreview,
    // Sign-ups under the moving team during the move are moved too: the total grows with them.
    progress: { moved: progress.get(r.id) ?? 0, total: Math.max(progress.get(r.id) ?? 0, r.subtreeSize || (r.preview as unknown as SponsorChangePreview).movedCount) },
    finishedAt: r.finishedAt,
  }));
}
export type SponsorChangeRow = Awaited<ReturnType<typeof listSponsorChanges>>[number];

/** The member's bind history (append-only rows), newest first, with names. */
export async function bindHistory(db: Db, memberId: number) {
  const rows = await db.sponsorBindHistory.findMany({ where: { memberId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
  const ids = [...new Set(rows.flatMap((r) => [r.fromSponsorId, r.toSponsorId].filter((x): x is number => x !== null)))];
  const staffIds = [...new Set(rows.flatMap((r) => [r.requestedById, r.approvedById]))];
  const [members, staff] = await Promise.all([
    db.member.findMany({ where: { id: { in: ids } }, select: { id: true, nickname: true, username: true } }),
    db.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } }),
  ]);
  const mName = new Map(members.map((m) => [m.id, nameOf(m)]));
  const sName = new Map(staff.map((s) => [s.id, s.displayName]));
  return rows.map((r) => ({
    id: r.id,
    from: r.fromSponsorId ? { id: r.fromSponsorId, name: mName.get(r.fromSponsorId) ?? `#${r.fromSponsorId}` } : null,
    to: { id: r.toSponsorId, name: mName.get(r.toSponsorId) ?? `#${r.toSponsorId}` },
    reason: r.reason,
    requestedBy: sName.get(r.requestedById) ?? `#${r.requestedById}`,
    approvedBy: sName.get(r.approvedById) ?? `#${r.approvedById}`,
    movedCount: r.movedCount,
    createdAt: r.createdAt,
  }));
}
