// When the money in `pending` is expected to arrive ("预计12月8日到账"), from the real times the engine
// will use: an order completes returnWindowDays after delivery (SPEC §1; a shipped order is delivered
// automatically autoDeliverDays after shipping); an open after-sales request holds it, and it then completes at
// the later of the window's end and the last decision (server/orders completeOrder); a commission settles at
// T+1 of its order's completion (SPEC §4), a 推三返一 task is paid at T+1 of the last completion among its anchor and invitees' first
// orders (SPEC §5). The rules are those of each order's version, as the engine reads them.
import { rulesOfVersion, type Ctx } from "../context";
import type { MallConfig } from "../config/schema";
import type { OrderStatus } from "../db/generated/enums";
import { nextLocalMidnight } from "../clock/time";
import { buyerHoldShownTo, heldMembers } from "../risk/flags";
import { autoDeliverAt, returnWindowEnd } from "../orders/deadlines";

/**
 * Why a date is not known yet: the order has not shipped (a commission's order, or the cashback's own anchor
 * order); the anchor order is on its way but the invited friends' first orders still have to ship and
 * complete their return window (SPEC §5: the cashback waits for all of them); an after-sales request open on one of
 * the orders (it holds completion until decided); or a risk hold (SPEC §8), named (on_hold) only where 佣金明细 names it
 * (buyerHoldShownTo), else `undated`, no reason given.
 */
export type ExpectedWhy = "awaiting_shipment" | "awaiting_invitees" | "awaiting_aftersale" | "on_hold" | "undated" | null;

export interface ExpectedPayout {
  kind: "commission" | "cashback";
  id: number;
  amountFen: number;
  /**
   * The order the money comes from (the task's anchor order for cashback); null on a level-2 or 3 commission, whose
   * buyer the member did not invite (PIPL: as 佣金明细, server/promotion myCommissions).
   */
  orderNo: string | null;
  /** A commission's level (1 direct, 2 or 3 team); null for cashback. */
  level: number | null;
  /** 00:00 merchant time of the settlement day; null when it cannot be known yet (see `why`). */
  expectedAt: Date | null;
  why: ExpectedWhy;
}

/** The after-sales requests of an order as completion sees them: one open (it holds completion), and the last decision. */
export interface AfterSalesTimes {
  open: boolean;
  lastDecidedAt: Date | null;
}

interface OrderTimes {
  status: OrderStatus;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  completedAt: Date | null;
}

const NO_AFTERSALES: AfterSalesTimes = { open: false, lastDecidedAt: null };

/**
 * When the order completes: known once completed, else the latest it will (automatic delivery, return window, or a
 * later after-sales decision); null before shipping and while an after-sales request is open.
 */
export function expectedCompletion(o: OrderTimes, rules: Pick<MallConfig, "returnWindowDays" | "autoDeliverDays">, afterSales = NO_AFTERSALES): Date | null {
  if (o.status === "COMPLETED") return o.completedAt;
  if (afterSales.open) return null;
  const windowEnd =
    o.status === "DELIVERED" && o.deliveredAt ? returnWindowEnd(o.deliveredAt, rules)
    : o.status === "SHIPPED" && o.shippedAt ? returnWindowEnd(autoDeliverAt(o.shippedAt, rules), rules)
    : null;
  if (!windowEnd) return null;
  // completeOrder: GREATEST(window end, latest decidedAt).
  return afterSales.lastDecidedAt && afterSales.lastDecidedAt > windowEnd ? afterSales.lastDecidedAt : windowEnd;
}

/** Why an order has no completion date yet: not shipped, or an after-sales request open on it. */
function completionWaitsFor(o: OrderTimes, afterSales: AfterSalesTimes): "awaiting_shipment" | "awaiting_aftersale" {
  return afterSales.open && (o.status === "SHIPPED" || o.status === "DELIVERED") ? "awaiting_aftersale" : "awaiting_shipment";
}

const orderSelect = { id: true, orderNo: true, memberId: true, status: true, shippedAt: true, deliveredAt: true, completedAt: true, ruleVersionId: true } as const;

/** What the wallet sends: the total on the way, the soonest `take` payouts, and how many more there are. */
export interface ExpectedSummary {
  totalFen: number;
  rows: ExpectedPayout[];
  more: number;
}

/** Reads only: the rules in force and their version, as inTx's context carries them, on a client or a transaction. */
type ReadCtx = Pick<Ctx, "tx" | "config" | "ruleVersionId">;

/** The member's pending commissions and cashback with their expected arrival, soonest first (unknown last). */
export async function expectedPayouts(ctx: ReadCtx, memberId: number): Promise<ExpectedPayout[]> {
  const [commissions, tasks] = await Promise.all([
    ctx.tx.commission.findMany({ where: { beneficiaryId: memberId, status: { in: ["PENDING", "CONFIRMED"] } }, include: { order: { select: orderSelect } } }),
    ctx.tx.rebateTask.findMany({ where: { memberId, status: { in: ["MET", "CONFIRMED"] } }, include: { assignments: { where: { removedAt: null }, select: { orderId: true } } } }),
  ]);
  const taskOrderIds = tasks.flatMap((t) => [t.anchorOrderId, ...t.assignments.map((a) => a.orderId)]);
  const taskOrders = new Map((await ctx.tx.order.findMany({ where: { id: { in: taskOrderIds } }, select: orderSelect })).map((o) => [o.id, o]));
  const allOrders = [...commissions.map((c) => c.order), ...taskOrders.values()];
  // SPEC §8: a hold on a buyer stops their commissions, and a task with a held anchor or invitee.
  const [held, requests] = await Promise.all([
    heldMembers(ctx, [...new Set(allOrders.map((o) => o.memberId))]),
    ctx.tx.refundRequest.groupBy({
      by: ["orderId"],
      where: { orderId: { in: [...new Set(allOrders.filter((o) => o.status !== "COMPLETED").map((o) => o.id))] } },
      _count: { openOrderId: true },
      _max: { decidedAt: true },
    }),
  ]);
  const afterSalesByOrder = new Map(requests.map((q) => [q.orderId, { open: q._count.openOrderId > 0, lastDecidedAt: q._max.decidedAt }]));
  const afterSales = (o: { id: number }) => afterSalesByOrder.get(o.id) ?? NO_AFTERSALES;
  // Each rule version read once, however many orders were placed under it.
  const versions = new Map<number | null, MallConfig>();
  for (const id of new Set(allOrders.map((o) => o.ruleVersionId))) versions.set(id, await rulesOfVersion(ctx, id));
  const rules = (versionId: number | null) => versions.get(versionId)!;

  const out: ExpectedPayout[] = [];
  for (const c of commissions) {
    const r = rules(c.order.ruleVersionId);
    const base = { kind: "commission" as const, id: c.id, amountFen: c.amountFen, level: c.level, orderNo: c.level === 1 ? c.order.orderNo : null };
    if (held.has(c.order.memberId)) {
      // A held order settles on no known day; only a level-1 buyer's review is named, as 佣金明细 names it.
      out.push({ ...base, expectedAt: null, why: buyerHoldShownTo(c.level) ? "on_hold" : "undated" });
      continue;
    }
    const confirmed = c.status === "CONFIRMED" ? c.confirmedAt : expectedCompletion(c.order, r, afterSales(c.order));
    out.push({ ...base, expectedAt: confirmed ? nextLocalMidnight(confirmed, r.timeZone) : null, why: confirmed ? null : completionWaitsFor(c.order, afterSales(c.order)) });
  }
  for (const t of tasks) {
    const orders = [t.anchorOrderId, ...t.assignments.map((a) => a.orderId)].map((id) => taskOrders.get(id)!);
    const anchor = orders[0]!;
    const r = rules(anchor.ruleVersionId);
    // The anchor is the member's own order.
    const base = { kind: "cashback" as const, id: t.id, amountFen: t.cashbackFen, level: null, orderNo: anchor.orderNo };
    if (orders.some((o) => held.has(o.memberId))) {
      out.push({ ...base, expectedAt: null, why: "on_hold" });
      continue;
    }
    let confirmed: Date | null = t.confirmedAt;
    if (t.status === "MET") {
      const completions = orders.map((o) => expectedCompletion(o, rules(o.ruleVersionId), afterSales(o)));
      confirmed = completions.every((d) => d !== null) ? new Date(Math.max(...completions.map((d) => d!.getTime()))) : null;
    }
    out.push({ ...base, expectedAt: confirmed ? nextLocalMidnight(confirmed, r.timeZone) : null, why: confirmed ? null : cashbackWaitsFor(orders, afterSales) });
  }
  const kindOrder = { commission: 0, cashback: 1 };
  return out.sort((a, b) => (a.expectedAt?.getTime() ?? Infinity) - (b.expectedAt?.getTime() ?? Infinity) || kindOrder[a.kind] - kindOrder[b.kind] || a.id - b.id);
}

/**
 * An undated cashback: waiting for the shopper's own anchor order to ship, for an after-sales request open on one of
 * its orders, else for the invited friends' orders (SPEC §5).
 */
function cashbackWaitsFor(orders: (OrderTimes & { id: number })[], afterSales: (o: { id: number }) => AfterSalesTimes): Exclude<ExpectedWhy, "on_hold" | "undated" | null> {
  const anchor = orders[0]!;
  if (anchor.status !== "COMPLETED" && anchor.status !== "SHIPPED" && anchor.status !== "DELIVERED") return "awaiting_shipment";
  return orders.some((o) => completionWaitsFor(o, afterSales(o)) === "awaiting_aftersale") ? "awaiting_aftersale" : "awaiting_invitees";
}

/** The wallet's 待到账: the total of every pending payout, the soonest `take` of them, and the count of the rest. */
export async function expectedPayoutSummary(ctx: ReadCtx, memberId: number, take = 50): Promise<ExpectedSummary> {
  const all = await expectedPayouts(ctx, memberId);
  return { totalFen: all.reduce((sum, e) => sum + e.amountFen, 0), rows: all.slice(0, take), more: Math.max(0, all.length - take) };
}
