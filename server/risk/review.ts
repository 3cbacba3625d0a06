// Risk review (SPEC §8): one decision for all of a member's open flags.
import type { Ctx } from "../context";
import { refuse, audit, notify } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { advanceCommissionsOfOrders, voidCommissionsOfOrders } from "../commission";
import { advanceRebateTask, rebateWalletsSql, removeInvitee, voidAnchorTask } from "../rebate";
import { setFrozen } from "../members/status-history";
import { REJECT_NOTE_MIN, REVIEW_NOTE_MAX } from "./review-note";

export const FREEZE_AFTER_REJECTIONS = 3;

type FreezeState = { frozen: boolean; frozenAt: Date | null; rejectionCount: number };

/**
 * Whether the member's freeze is the risk review's (SPEC §8, three rejections), from their REJECTED flags: a rejection
 * decided since the freeze began, with the rejections at the limit. That covers a rejection that found the member
 * already frozen by staff: it would have frozen them, so lifting the staff freeze must not lift it too. A freeze of no
 * recorded time (older data) is the review's once the limit is reached. Pure: the unfreeze check and the 已冻结 list share it.
 */
export function frozenByReview(member: FreezeState, rejections: readonly { decidedAt: Date | null }[]): boolean {
  if (!member.frozen || member.rejectionCount < FREEZE_AFTER_REJECTIONS) return false;
  const frozenAt = member.frozenAt;
  if (!frozenAt) return true;
  return rejections.some((r) => r.decidedAt !== null && r.decidedAt >= frozenAt);
}

/** frozenByReview for one member, reading their REJECTED flags. */
export async function riskFrozen(ctx: Pick<Ctx, "tx">, memberId: number, member: FreezeState): Promise<boolean> {
  return frozenByReview(member, await ctx.tx.riskFlag.findMany({ where: { memberId, status: "REJECTED" }, select: { decidedAt: true } }));
}

async function touchedTaskIds(ctx: Ctx, memberId: number): Promise<number[]> {
  const anchored = await ctx.tx.rebateTask.findMany({ where: { memberId }, select: { id: true } });
  const invited = await ctx.tx.rebateAssignment.findMany({ where: { inviteeId: memberId }, select: { taskId: true } });
  return [...new Set([...anchored.map((t) => t.id), ...invited.map((a) => a.taskId)])];
}

/**
 * The note kept with a decision: trimmed, empty as none. A reviewer's rejection voids money (SPEC §8), so it needs a
 * reason; an approval's note is optional. A scenario's replayed review (no reviewer) needs none.
 */
export function reviewNote(decision: "approve" | "reject", note: string | null | undefined, byReviewer: boolean): string | null {
  const clean = note?.trim() || null;
  if (clean && clean.length > REVIEW_NOTE_MAX) refuse("REVIEW_NOTE_TOO_LONG", `备注最多 ${REVIEW_NOTE_MAX} 字`);
  if (byReviewer && decision === "reject" && (clean?.length ?? 0) < REJECT_NOTE_MIN) refuse("REVIEW_NOTE_REQUIRED", "驳回须填写原因（2-200 字）");
  return clean;
}

/** The member's commissions and tasks a decision touches: unsettled ones are held while a flag is open (SPEC §8). */
async function heldCounts(ctx: Ctx, orderIds: number[], taskIds: number[]) {
  const [commissions, tasks, voidCommissions, voidTasks] = await Promise.all([
    ctx.tx.commission.count({ where: { orderId: { in: orderIds }, status: { in: ["PENDING", "CONFIRMED"] } } }),
    ctx.tx.rebateTask.count({ where: { id: { in: taskIds }, status: { in: ["OPEN", "MET", "CONFIRMED"] } } }),
    ctx.tx.commission.count({ where: { orderId: { in: orderIds }, status: "VOID" } }),
    ctx.tx.rebateTask.count({ where: { id: { in: taskIds }, status: "VOID" } }),
  ]);
  return { commissions, tasks, voidCommissions, voidTasks };
}

/**
 * `reviewer` is the staff account deciding; null when a scenario replays a review. `note`: why (reviewNote), kept on
 * each flag decided and in the audit entry, with the rules decided and what the decision voided or released.
 * Returns the flags decided and what the decision did: an approval the held commissions and 推三返一 tasks it released,
 * a rejection those it voided and whether it froze the account.
 */
export async function reviewMember(ctx: Ctx, memberId: number, decision: "approve" | "reject", reviewer: StaffActor | null = null, note: string | null = null) {
  const decisionNote = reviewNote(decision, note, reviewer !== null);
  // Lock order, shared by every path so none deadlocks: Order rows first (a payment, completion or refund its one order;
  // a review all its member's, by id), then RiskFlag (only a review locks them), Member rows, Wallets by member id,
  // RebateTask. Held orders make a completion racing this decision wait for it (it then reads the flags decided) or be
  // waited for (its COMPLETED order is read below): else each saw the other undone and the commissions stayed PENDING.
  // NO KEY UPDATE conflicts with lockOrder's FOR UPDATE and with an order's status updates, not with rows referencing it.
  const orders = await ctx.tx.$queryRaw<{ id: number }[]>`SELECT id FROM "Order" WHERE "memberId" = ${memberId} ORDER BY id FOR NO KEY UPDATE`;
  // Locked: a second decision made at the same time waits, then finds no open flag (one decision, SPEC §8).
  const flags = await ctx.tx.$queryRaw<{ id: number }[]>`SELECT id FROM "RiskFlag" WHERE "memberId" = ${memberId} AND status = 'OPEN' ORDER BY id FOR UPDATE`;
  if (flags.length === 0) refuse("NO_OPEN_FLAG", "该会员没有待处理的风控标记");
  const flagIds = flags.map((f) => f.id);
  const status = decision === "approve" ? "APPROVED" : "REJECTED";
  await ctx.tx.riskFlag.updateMany({ where: { id: { in: flagIds } }, data: { status, decidedAt: ctx.now, decidedBy: reviewer?.staffId ?? null, decisionNote } });
  const orderIds = orders.map((o) => o.id);
  const taskIds = await touchedTaskIds(ctx, memberId);
  const held = await heldCounts(ctx, orderIds, taskIds);
  let froze = false;

  if (decision === "reject") {
    const member = await ctx.tx.member.update({ where: { id: memberId }, data: { rejectionCount: { increment: 1 } } });
    if (member.rejectionCount >= FREEZE_AFTER_REJECTIONS && !member.frozen) {
      await setFrozen(ctx, memberId, true);
      froze = true;
      await notify(ctx, memberId, "account", "account.frozen");
    }
    // All orders in one posting, its wallets and the 推三返一 steps' locked by member id before any task, as a payment's (order by order deadlocked one).
    await voidCommissionsOfOrders(ctx, orders.map((o) => o.id), "risk review rejected", rebateWalletsSql(memberId));
    for (const o of orders) await voidAnchorTask(ctx, o.id, "risk review rejected", ["OPEN", "MET", "CONFIRMED"]);
    await removeInvitee(ctx, memberId, "risk review rejected");
  }

  // Everything the hold stopped resumes, taking at once the transitions that fell due meanwhile: all orders' settlements
  // in one posting, its wallets and the 推三返一 steps' locked by member id before any task (a rejection's are locked already).
  await advanceCommissionsOfOrders(ctx, orders.map((o) => o.id), decision === "approve" ? rebateWalletsSql(memberId) : undefined);
  for (const id of await touchedTaskIds(ctx, memberId)) await advanceRebateTask(ctx, id);
  const data = await decisionFacts(ctx, decision, flagIds, decisionNote, held, orderIds, taskIds, froze);
  if (reviewer) {
    await auditStaff(ctx.tx, {
      actor: staffActor(reviewer), action: `risk.${decision}`, target: `member:${memberId}`,
      before: { status: "OPEN" }, after: { status }, data, requestId: reviewer.requestId, now: ctx.now,
    });
  } else {
    await audit(ctx, null, `risk.${decision}`, `member:${memberId}`, data);
  }
  // What the reviewer is told it did (the case page's confirmation): as the audit entry counts it.
  return "commissionsReleased" in data
    ? { decided: flags.length, commissions: data.commissionsReleased, tasks: data.tasksReleased, frozen: false }
    : { decided: flags.length, commissions: data.commissionsVoided, tasks: data.tasksVoided, frozen: data.frozen };
}

/**
 * What a decision's audit entry says (SPEC §8): the rules of the flags decided (each once) and how many flags, the note,
 * and what it did to the member's money: a rejection the commissions and 推三返一 tasks it voided (and whether it froze
 * the account), an approval the held ones it released. The flags' ids follow for a lookup.
 */
async function decisionFacts(
  ctx: Ctx, decision: "approve" | "reject", flagIds: number[], note: string | null,
  held: Awaited<ReturnType<typeof heldCounts>>, orderIds: number[], taskIds: number[], froze: boolean,
) {
  const decided = await ctx.tx.riskFlag.findMany({ where: { id: { in: flagIds } }, orderBy: { id: "asc" }, select: { event: { select: { rule: true } } } });
  const head = { rules: [...new Set(decided.map((f) => f.event.rule))], flagCount: flagIds.length, note };
  if (decision === "approve") return { ...head, commissionsReleased: held.commissions, tasksReleased: held.tasks, flags: flagIds };
  const after = await heldCounts(ctx, orderIds, taskIds);
  return { ...head, commissionsVoided: after.voidCommissions - held.voidCommissions, tasksVoided: after.voidTasks - held.voidTasks, frozen: froze, flags: flagIds };
}
