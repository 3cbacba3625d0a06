// When the money in `pending` is expected to arrive ("预计12月8日到账"), from the real times the engine
// will use: an order completes returnWindowDays after delivery (SPEC §1; a shipped order is delivered
// automatically autoDeliverDays after shipping), a commission settles at T+1 of its order's completion
// (SPEC §4), a 推三返一 task is paid at T+1 of the last completion among its anchor and invitees' first
// orders (SPEC §5). The rules are those of each order's version, as the engine reads them.
import { rulesOfVersion, type Ctx } from "../context";
import type { MallConfig } from "../config/schema";
import type { OrderStatus } from "../db/generated/enums";
import { nextLocalMidnight } from "../clock/time";
import { heldMembers } from "../risk/flags";
import { autoDeliverAt, returnWindowEnd } from "../orders/deadlines";

/**
 * Why a date is not known yet: the order has not shipped (a commission's order, or the cashback's own anchor
 * order); the anchor order is on its way but the invited friends' first orders still have to ship and
 * complete their return window (SPEC §5: the cashback waits for all of them); or a risk hold (SPEC §8).
 */
export type ExpectedWhy = "awaiting_shipment" | "awaiting_invitees" | "on_hold" | null;

export interface ExpectedPayout {
  kind: "commission" | "cashback";
  id: number;
  amountFen: number;
  /** The order the money comes from (the task's anchor order for cashback). */
  orderNo: string;
  /** 00:00 merchant time of the settlement day; null when it cannot be known yet (see `why`). */
  expectedAt: Date | null;
  why: ExpectedWhy;
}

interface OrderTimes {
  status: OrderStatus;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  completedAt: Date | null;
}

/** When the order completes: known once completed, else the latest it will (automatic delivery, return window); null before shipping. */
export function expectedCompletion(o: OrderTimes, rules: Pick<MallConfig, "returnWindowDays" | "autoDeliverDays">): Date | null {
  if (o.status === "COMPLETED") return o.completedAt;
  if (o.status === "DELIVERED" && o.deliveredAt) return returnWindowEnd(o.deliveredAt, rules);
  if (o.status === "SHIPPED" && o.shippedAt) return returnWindowEnd(autoDeliverAt(o.shippedAt, rules), rules);
  return null;
}

/** An undated cashback: waiting for the shopper's own anchor order to ship, else for the invited friends' orders (SPEC §5). */
export function cashbackWaitsFor(anchor: OrderTimes, rules: Pick<MallConfig, "returnWindowDays" | "autoDeliverDays">): "awaiting_shipment" | "awaiting_invitees" {
  return expectedCompletion(anchor, rules) === null ? "awaiting_shipment" : "awaiting_invitees";
}

const orderSelect = { id: true, orderNo: true, memberId: true, status: true, shippedAt: true, deliveredAt: true, completedAt: true, ruleVersionId: true } as const;

/** The member's pending commissions and cashback with their expected arrival, soonest first (unknown last). */
export async function expectedPayouts(ctx: Ctx, memberId: number): Promise<ExpectedPayout[]> {
  const [commissions, tasks] = await Promise.all([
    ctx.tx.commission.findMany({ where: { beneficiaryId: memberId, status: { in: ["PENDING", "CONFIRMED"] } }, include: { order: { select: orderSelect } } }),
    ctx.tx.rebateTask.findMany({ where: { memberId, status: { in: ["MET", "CONFIRMED"] } }, include: { assignments: { where: { removedAt: null }, select: { orderId: true } } } }),
  ]);
  const taskOrderIds = tasks.flatMap((t) => [t.anchorOrderId, ...t.assignments.map((a) => a.orderId)]);
  const taskOrders = new Map((await ctx.tx.order.findMany({ where: { id: { in: taskOrderIds } }, select: orderSelect })).map((o) => [o.id, o]));
  // SPEC §8: a hold on a buyer stops their commissions, and a task with a held anchor or invitee.
  const held = await heldMembers(ctx, [...new Set([...commissions.map((c) => c.order.memberId), ...[...taskOrders.values()].map((o) => o.memberId)])]);
  const rules = (versionId: number | null) => rulesOfVersion(ctx, versionId);

  const out: ExpectedPayout[] = [];
  for (const c of commissions) {
    const r = await rules(c.order.ruleVersionId);
    const base = { kind: "commission" as const, id: c.id, amountFen: c.amountFen, orderNo: c.order.orderNo };
    if (held.has(c.order.memberId)) {
      out.push({ ...base, expectedAt: null, why: "on_hold" });
      continue;
    }
    const confirmed = c.status === "CONFIRMED" ? c.confirmedAt : expectedCompletion(c.order, r);
    out.push({ ...base, expectedAt: confirmed ? nextLocalMidnight(confirmed, r.timeZone) : null, why: confirmed ? null : "awaiting_shipment" });
  }
  for (const t of tasks) {
    const orders = [t.anchorOrderId, ...t.assignments.map((a) => a.orderId)].map((id) => taskOrders.get(id)!);
    const anchor = orders[0]!;
    const r = await rules(anchor.ruleVersionId);
    const base = { kind: "cashback" as const, id: t.id, amountFen: t.cashbackFen, orderNo: anchor.orderNo };
    if (orders.some((o) => held.has(o.memberId))) {
      out.push({ ...base, expectedAt: null, why: "on_hold" });
      continue;
    }
    let confirmed: Date | null = t.confirmedAt;
    if (t.status === "MET") {
      const completions = await Promise.all(orders.map(async (o) => expectedCompletion(o, await rules(o.ruleVersionId))));
      confirmed = completions.every((d) => d !== null) ? new Date(Math.max(...completions.map((d) => d!.getTime()))) : null;
    }
    out.push({ ...base, expectedAt: confirmed ? nextLocalMidnight(confirmed, r.timeZone) : null, why: confirmed ? null : cashbackWaitsFor(anchor, r) });
  }
  const kindOrder = { commission: 0, cashback: 1 };
  return out.sort((a, b) => (a.expectedAt?.getTime() ?? Infinity) - (b.expectedAt?.getTime() ?? Infinity) || kindOrder[a.kind] - kindOrder[b.kind] || a.id - b.id);
}
