// Refer-N cashback (推三返一, SPEC §5).
// Task pipeline: OPEN → MET (n invitees) → CONFIRMED (anchor and invitees' first orders completed)
// → PAID at T+1; VOID when the anchor is refunded; EXPIRED when the deadline passes while OPEN.
import { notify, rulesOfVersion, type Ctx } from "../context";
import { nextLocalMidnight, DAY } from "../clock/time";
import { mulDivFloor } from "../money";
import { INT4_MAX } from "../validation";
import { anyHeldSql } from "../risk/flags";
import { Prisma } from "../db";
import { fromMerchant, move } from "../wallet/ledger";
import { scheduleDue, scheduleDuesOfCtes } from "../scheduler/due";
import type { RebateStatus } from "../db/generated/enums";
import type { RebateAssignmentModel, RebateTaskModel } from "../db/generated/models";
import { rebateArm, type RunningExperiment } from "../experiments";
import type { NoticeKey } from "@/lib/i18n/messages/notices.zh-CN";
import { formatDateTime } from "@/lib/format-date";

const FINAL: RebateStatus[] = ["PAID", "VOID", "EXPIRED"];

/** "24 小时后截止" is sent this long before an open task's deadline. */
export const DEADLINE_REMINDER_BEFORE_MS = DAY;

/**
 * For RebateTask `t`: whether its owner ever took part, an invitee ever assigned to it (a removed one too) or a recorded
 * visit of their share link (server/referral recordReferralVisits). A silent buyer hears neither the deadline nor the end.
 */
const ownerTookPartSql = Prisma.sql`(EXISTS (SELECT 1 FROM "RebateAssignment" a WHERE a."taskId" = t.id)
  OR EXISTS (SELECT 1 FROM "ReferralVisit" v WHERE v."memberId" = t."memberId"))`;

/**
 * The timed "24 h left" reminder of a task that still lacks invitees, to an owner who took part (ownerTookPartSql). At
 * most once per task (the conditional update is the guard, so a second run or a concurrent one sends nothing).
 */
export async function remindRebateDeadline(ctx: Ctx, taskId: number): Promise<boolean> {
  const [task] = await ctx.tx.$queryRaw<{ memberId: number; cashbackFen: number; missing: number; tookPart: boolean }[]>`
    UPDATE "RebateTask" t SET "deadlineRemindedAt" = ${ctx.now}
    WHERE t.id = ${taskId} AND t.status = 'OPEN' AND t."deadlineRemindedAt" IS NULL AND t.deadline > ${ctx.now}
    RETURNING t."memberId", t."cashbackFen", t.n - (SELECT count(*) FROM "RebateAssignment" a WHERE a."taskId" = t.id AND a."removedAt" IS NULL)::int AS missing,
      ${ownerTookPartSql} AS "tookPart"`;
  // A held task may already have its n invitees: nothing to ask for.
  if (!task || task.missing <= 0 || !task.tookPart) return false;
  await notify(ctx, task.memberId, "rebate", "rebate.deadline", { missing: task.missing, cashbackFen: task.cashbackFen });
  return true;
}

export function cashbackFor(goodsFen: number, percent: number, capFen: number | null): number {
  const full = mulDivFloor(goodsFen, percent, 100);
  return capFen === null ? full : Math.min(full, capFen);
}

/**
 * Every PAID order with goods ≥ minAnchorFen opens a task for its buyer (not for a frozen buyer), on
 * the rules in force or, while an experiment runs, on the buyer's variant (server/experiments). The buyer is told at
 * once ("推三返一已开启": the order, its n, deadline and cashback), in the payment's gathered side rows.
 */
export async function openRebateTask(
  ctx: Ctx,
  order: { id: number; memberId: number; goodsFen: number; paidAt: Date },
  buyer: { frozen: boolean; experiment: RunningExperiment | null },
) {
  const { rebate: r, experimentId, variant } = rebateArm(ctx, order.memberId, buyer.experiment);
  if (!r.enabled || order.goodsFen < r.minAnchorFen || buyer.frozen) return null;
  const cashbackFen = cashbackFor(order.goodsFen, r.percent, r.capFen);
  if (cashbackFen <= 0) return null;
  const deadline = new Date(order.paidAt.getTime() + r.windowDays * DAY);
  const remindAt = new Date(deadline.getTime() - DEADLINE_REMINDER_BEFORE_MS);
  // The task and its transitions in one statement (none when the task existed already).
  const dues = scheduleDuesOfCtes(ctx, Prisma.sql`SELECT id FROM t`, [
    // "Once the deadline has passed": a payment exactly at the deadline still counts.
    { kind: "REBATE_EXPIRE", dueAt: new Date(deadline.getTime() + 1) },
    // A reminder only sends a message, which a simulation skips (Ctx.simulation): not scheduled there.
    ...(remindAt > ctx.now && !ctx.simulation ? [{ kind: "REBATE_DEADLINE_REMINDER" as const, dueAt: remindAt }] : []),
  ]);
  // A version stored before the int4 bound (config/schema configBounds) may cap above any order: it caps as the largest does.
  const capFen = r.capFen === null ? null : Math.min(r.capFen, INT4_MAX);
  // `held`: the buyer is under risk review (SPEC §8) as the task opens, read by the same statement: it is ON_HOLD
  // (审核中) from the start, and its notice says so.
  const [task] = await ctx.tx.$queryRaw<{ id: number; orderNo: string; held: boolean }[]>`
    WITH t AS (
      INSERT INTO "RebateTask" ("memberId", "anchorOrderId", n, percent, "capFen", payout, "cashbackFen", "createdAt", deadline, "ruleVersionId", "experimentId", variant)
      VALUES (${order.memberId}, ${order.id}, ${r.n}, ${r.percent}, ${capFen}::int, ${r.payout}, ${cashbackFen}, ${order.paidAt}, ${deadline},
        ${ctx.ruleVersionId ?? null}::int, ${experimentId}::int, ${variant}::text)
      ON CONFLICT DO NOTHING RETURNING id
    ), ${dues}
    SELECT id, (SELECT "orderNo" FROM "Order" WHERE id = ${order.id}) AS "orderNo", ${anyHeldSql(Prisma.sql`${order.memberId}::int`)} AS held FROM t`;
  if (!task) return null;
  // The deadline as the shop shows instants (lib/format-date), in the rules' time zone: the same in zh and en.
  const deadlineText = formatDateTime(deadline, { timeZone: ctx.config.timeZone });
  await notify(ctx, order.memberId, "rebate", task.held ? "rebate.openedHeld" : "rebate.opened", { orderNo: task.orderNo, n: r.n, deadline: deadlineText, cashbackFen });
  return task.id;
}

/**
 * The wallet a first payment at `paidAt` may post to through assignInvitee, as a subquery of member ids: the sponsor's,
 * while it has a task open then — or met, which a refund committing meanwhile may reopen. The payment locks it with its
 * commissions' wallets, in one member-id order.
 */
export function inviterWalletSql(sponsorId: number, paidAt: Date): Prisma.Sql {
  return Prisma.sql`SELECT "memberId" FROM "RebateTask" WHERE "memberId" = ${sponsorId} AND status IN ('OPEN', 'MET') AND "createdAt" <= ${paidAt} AND deadline >= ${paidAt}`;
}

/**
 * A member's first paid order, paid at t, counts for their sponsor's oldest OPEN task with
 * created ≤ t ≤ deadline that still has room. Each invitee counts for at most one task, ever.
 */
export async function assignInvitee(ctx: Ctx, invitee: { id: number; sponsorId: number | null }, orderId: number, paidAt: Date) {
  if (invitee.sponsorId === null) return null;
  // With a task open, the sponsor's wallet before it (found through it), as a refund voiding its commission locks them: after, a MET here deadlocked one.
  // (A payment crediting commissions has it locked already, with theirs: inviterWalletSql.)
  const candidates = await ctx.tx.$queryRaw<{ id: number; n: number }[]>`
    WITH w AS MATERIALIZED (
      SELECT "memberId" FROM "Wallet" WHERE "memberId" = ${invitee.sponsorId} AND EXISTS (${inviterWalletSql(invitee.sponsorId, paidAt)})
      FOR NO KEY UPDATE)
    SELECT t.id, t.n FROM "RebateTask" t
    WHERE t."memberId" = COALESCE((SELECT "memberId" FROM w), ${invitee.sponsorId}) AND t.status = 'OPEN'
      AND t."createdAt" <= ${paidAt} AND t.deadline >= ${paidAt}
      AND (SELECT count(*) FROM "RebateAssignment" a WHERE a."taskId" = t.id AND a."removedAt" IS NULL) < t.n
    ORDER BY t."createdAt", t.id
    LIMIT 1
    FOR UPDATE OF t`;
  const task = candidates[0];
  if (task === undefined) return null;
  // Counted afresh by the same statement (its snapshot is taken after the task's lock, so a concurrent assignment
  // committed while this one waited is in it; its own new row is not, hence + 1).
  const [inserted] = await ctx.tx.$queryRaw<(RebateAssignmentModel & { count: number })[]>`
    WITH a AS (
      INSERT INTO "RebateAssignment" ("taskId", "inviteeId", "orderId", "assignedAt") VALUES (${task.id}, ${invitee.id}, ${orderId}, ${paidAt})
      ON CONFLICT DO NOTHING RETURNING *
    )
    SELECT a.*, (SELECT count(*) FROM "RebateAssignment" WHERE "taskId" = ${task.id} AND "removedAt" IS NULL)::int + 1 AS count FROM a`;
  if (!inserted) return null;
  const { count, ...assignment } = inserted;
  await notify(ctx, invitee.sponsorId, "rebate", count >= task.n ? "rebate.invitedAll" : "rebate.invited", count >= task.n ? { n: task.n } : { missing: task.n - count });
  // Short of n the task stays OPEN (its deadline is still ahead, the candidate query saw to it): nothing more can happen now.
  if (count >= task.n) await advanceRebateTask(ctx, task.id);
  return assignment;
}

/**
 * For an update of RebateTask `t`: neither its anchor buyer nor a current invitee has an open flag (SPEC §8). Read by the
 * update's own snapshot, so a hold committed after advanceRebateTask read the task, before the update, stops it.
 */
const taskNotHeldSql = Prisma.sql`NOT ${anyHeldSql(Prisma.sql`SELECT t."memberId" UNION ALL SELECT "inviteeId" FROM "RebateAssignment" WHERE "taskId" = t.id AND "removedAt" IS NULL`)}`;

async function ownerTookPart(ctx: Ctx, taskId: number): Promise<boolean> {
  const [r] = await ctx.tx.$queryRaw<{ tookPart: boolean }[]>`SELECT ${ownerTookPartSql} AS "tookPart" FROM "RebateTask" t WHERE t.id = ${taskId}`;
  return r?.tookPart === true;
}

/** Takes every forward step the facts allow (idempotent; stops while held). */
export async function advanceRebateTask(ctx: Ctx, taskId: number): Promise<void> {
  // The task (locked: a payment, a refund and a removal each decide on its status), its current invitees
  // and whether it is held (SPEC §8: its anchor buyer or any current invitee has an open risk flag), in one statement.
  const [task] = await ctx.tx.$queryRaw<(RebateTaskModel & { active: { id: number; inviteeId: number; orderId: number }[]; held: boolean })[]>`
    WITH a AS (SELECT id, "inviteeId", "orderId" FROM "RebateAssignment" WHERE "taskId" = ${taskId} AND "removedAt" IS NULL)
    SELECT t.*, COALESCE((SELECT json_agg(a ORDER BY a.id) FROM a), '[]'::json) AS active,
      ${anyHeldSql(Prisma.sql`SELECT t."memberId" UNION ALL SELECT "inviteeId" FROM a`)} AS held
    FROM "RebateTask" t WHERE t.id = ${taskId} FOR UPDATE OF t`;
  if (!task || FINAL.includes(task.status) || task.held) return;
  const active = task.active;
  const tz = (await rulesOfVersion(ctx, task.ruleVersionId)).timeZone;
  let { status, confirmedAt } = task;
  /** One step: false (nothing changed) when a hold was committed since the read above. */
  const step = async (set: Prisma.Sql) => (await ctx.tx.$executeRaw`UPDATE "RebateTask" t SET ${set} WHERE t.id = ${taskId} AND ${taskNotHeldSql}`) > 0;

  if (status === "OPEN" && active.length >= task.n) {
    if (!(await step(Prisma.sql`status = 'MET', "metAt" = ${ctx.now}`))) return;
    status = "MET";
    const nth = active[task.n - 1];
    await fromMerchant(ctx, `rebate:${taskId}:accrue:${nth.id}`, "rebate_accrue", "merchant:rebate", task.memberId, "pending", task.cashbackFen);
  }
  if (status === "OPEN" && ctx.now > task.deadline) {
    // Told once: the task is locked and read OPEN above, and a second run finds it EXPIRED. (A simulation sends nothing: not asked.)
    if ((await step(Prisma.sql`status = 'EXPIRED', "endedAt" = ${ctx.now}, "endReason" = 'expired'`)) && !ctx.simulation && (await ownerTookPart(ctx, taskId))) {
      await notify(ctx, task.memberId, "rebate", "rebate.expired", { n: task.n, cashbackFen: task.cashbackFen });
    }
    return;
  }
  if (status === "MET") {
    const orders = await ctx.tx.$queryRaw<{ status: string; completedAt: Date | null }[]>`
      SELECT status::text AS status, "completedAt" FROM "Order" WHERE id = ANY(${[task.anchorOrderId, ...active.map((a) => a.orderId)]}::int[])`;
    if (orders.length === active.length + 1 && orders.every((o) => o.status === "COMPLETED" && o.completedAt)) {
      confirmedAt = new Date(Math.max(...orders.map((o) => o.completedAt!.getTime())));
      if (!(await step(Prisma.sql`status = 'CONFIRMED', "confirmedAt" = ${confirmedAt}`))) return;
      status = "CONFIRMED";
      await scheduleDue(ctx, "REBATE_SETTLE", taskId, nextLocalMidnight(confirmedAt, tz));
      // Paid at once below (a late step): the "paid" notice says it all.
      if (ctx.now < nextLocalMidnight(confirmedAt, tz)) await notify(ctx, task.memberId, "rebate", "rebate.confirmed", { cashbackFen: task.cashbackFen });
    }
  }
  if (status === "CONFIRMED" && confirmedAt && ctx.now >= nextLocalMidnight(confirmedAt, tz)) {
    if (!(await step(Prisma.sql`status = 'PAID', "paidAt" = ${ctx.now}`))) return;
    const to = task.payout === "credit" ? "credit" : "available";
    await move(ctx, `rebate:${taskId}:pay`, "rebate_pay", task.memberId, "pending", to, task.cashbackFen);
    await notify(ctx, task.memberId, "rebate_paid", to === "credit" ? "rebate.paidCredit" : "rebate.paid", { cashbackFen: task.cashbackFen });
  }
}

/**
 * Tasks touched by an order, as an int[] for a statement that reads them with other things: the one it
 * anchors first (as the steps that follow have always run), then the one its buyer is an invitee of.
 */
export function tasksOfOrderSql(orderId: number): Prisma.Sql {
  return Prisma.sql`ARRAY(SELECT id FROM (
      SELECT id, 0 AS k FROM "RebateTask" WHERE "anchorOrderId" = ${orderId}
      UNION ALL
      SELECT "taskId", 1 FROM "RebateAssignment" WHERE "orderId" = ${orderId} AND "removedAt" IS NULL
    ) t ORDER BY k, id)`;
}

/**
 * The members whose wallets voidAnchorTask, removeInvitee and advanceRebateTask post to for a member, as a subquery of
 * member ids for a statement that locks its wallets before any task: the member (tasks it anchors) and its inviter (the
 * task it counts for; with `orderId`, only when that order is the one it counts with, as a refund removes it then).
 */
export function rebateWalletsSql(memberId: number, orderId?: number): Prisma.Sql {
  return Prisma.sql`SELECT ${memberId}::int UNION ALL SELECT t."memberId" FROM "RebateAssignment" a JOIN "RebateTask" t ON t.id = a."taskId"
    WHERE a."inviteeId" = ${memberId}${orderId === undefined ? Prisma.empty : Prisma.sql` AND a."orderId" = ${orderId}`}`;
}

/** What the task's owner is told of a task voided for a reason; an account deleted is told nothing. */
const VOID_NOTICE: Record<string, NoticeKey | undefined> = {
  "anchor order refunded": "rebate.voided.anchorRefunded",
  "risk review rejected": "rebate.voided.riskRejected",
};

/** Anchor refunded (or anchor buyer rejected) before payment: the task is VOID. */
export async function voidAnchorTask(ctx: Ctx, anchorOrderId: number, reason: string, statuses: RebateStatus[] = ["OPEN", "MET"]) {
  // Locked before its status is read: an invitee's payment making it MET at the same time must be seen, or its cashback stays pending.
  const [task] = await ctx.tx.$queryRaw<RebateTaskModel[]>`SELECT * FROM "RebateTask" WHERE "anchorOrderId" = ${anchorOrderId} FOR UPDATE`;
  if (!task || !statuses.includes(task.status)) return;
  await ctx.tx.rebateTask.update({ where: { id: task.id }, data: { status: "VOID", endedAt: ctx.now, endReason: reason } });
  if (task.status === "MET" || task.status === "CONFIRMED") {
    await fromMerchant(ctx, `rebate:${task.id}:void`, "rebate_void", "merchant:rebate", task.memberId, "pending", -task.cashbackFen);
  }
  const key = VOID_NOTICE[reason];
  // The simulator tells nobody (notify skips it): no read for a notice.
  if (!key || ctx.simulation) return;
  const anchor = await ctx.tx.order.findUniqueOrThrow({ where: { id: anchorOrderId }, select: { orderNo: true } });
  await notify(ctx, task.memberId, "rebate", key, { orderNo: anchor.orderNo, cashbackFen: task.cashbackFen });
}

/**
 * The end reason of a task a removal after its deadline expires: what happened, never who (the refund's
 * wording predates the risk review's and stays, as tasks already carry it).
 */
const EXPIRED_BY_REMOVAL = {
  "first order refunded": "invitee removed after the deadline",
  "risk review rejected": "invitee rejected in risk review after the deadline",
} as const;

/** What the task's owner is told of a removal (never who): the task open again, or ended when its deadline has passed. */
const REMOVAL_NOTICE = {
  "first order refunded": { open: "rebate.removed.refunded", expired: "rebate.expired.refunded" },
  "risk review rejected": { open: "rebate.removed.rejected", expired: "rebate.expired.rejected" },
} as const satisfies Record<keyof typeof EXPIRED_BY_REMOVAL, { open: NoticeKey; expired: NoticeKey }>;

/**
 * The invitee no longer counts (first order refunded, or rejected in review): removed for good.
 * A MET task gives back its pending cashback and is OPEN again, or EXPIRED if the deadline passed.
 * A task already CONFIRMED or PAID keeps its invitees.
 */
export async function removeInvitee(ctx: Ctx, inviteeId: number, reason: keyof typeof EXPIRED_BY_REMOVAL): Promise<void> {
  const found = await ctx.tx.rebateAssignment.findUnique({ where: { inviteeId }, select: { taskId: true } });
  if (!found) return;
  // The task is locked before its status and the assignment are read: a concurrent payment, refund or removal
  // on the same task would otherwise reverse twice, or miss a MET it just made.
  const [task] = await ctx.tx.$queryRaw<RebateTaskModel[]>`SELECT * FROM "RebateTask" WHERE id = ${found.taskId} FOR UPDATE`;
  const a = await ctx.tx.rebateAssignment.findUnique({ where: { inviteeId } });
  if (!task || !a || a.removedAt) return;
  if (task.status === "CONFIRMED" || task.status === "PAID") return;
  await ctx.tx.rebateAssignment.update({ where: { id: a.id }, data: { removedAt: ctx.now, removedWhy: reason } });
  if (task.status === "MET") {
    await fromMerchant(ctx, `rebate:${task.id}:reverse:${a.id}`, "rebate_reverse", "merchant:rebate", task.memberId, "pending", -task.cashbackFen);
  }
  if (task.status === "MET" || task.status === "OPEN") {
    const expired = ctx.now > task.deadline;
    await ctx.tx.rebateTask.update({
      where: { id: task.id },
      data: expired ? { status: "EXPIRED", metAt: null, endedAt: ctx.now, endReason: EXPIRED_BY_REMOVAL[reason] } : { status: "OPEN", metAt: null },
    });
    // Once: the assignment is removed for good above, and a second removal finds it so.
    if (expired) await notify(ctx, task.memberId, "rebate", REMOVAL_NOTICE[reason].expired, { n: task.n, cashbackFen: task.cashbackFen });
    else if (!ctx.simulation) {
      const counted = await ctx.tx.rebateAssignment.count({ where: { taskId: task.id, removedAt: null } });
      await notify(ctx, task.memberId, "rebate", REMOVAL_NOTICE[reason].open, { missing: task.n - counted });
    }
  }
  await advanceRebateTask(ctx, task.id);
}
