// Read models of orders: the shopper's list and detail (their own orders only).
import { carrierName } from "./shipping";
import type { OrderStatus, Prisma, RebateStatus } from "../db/generated/client";
import { loadRules, rulesOfVersion, type Ctx } from "../context";
import { DAY } from "../clock/time";
import { rebateFor } from "../experiments";
import type { MallConfig } from "../config/schema";
import { autoDeliverAt, paymentDeadline, returnWindowEnd } from "./deadlines";
import { refundRefusal } from "./refundable";
import { refundProgressOf, type RefundState } from "../payments/refund-state";

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  PENDING_PAYMENT: "待付款",
  PAID: "待发货",
  SHIPPED: "待收货",
  DELIVERED: "已收货",
  COMPLETED: "已完成",
  CANCELLED: "已取消",
  REFUNDED: "已退款",
};

/** A REFUNDED order whose money is not back yet says so: 已退款 only once it is (SPEC §1, the original payment path). */
export const REFUND_STATE_LABEL: Record<Exclude<RefundState, "done">, string> = {
  pending: "退款中",
  stuck: "退款处理中",
};

const statusLabelOf = (status: OrderStatus, refund: RefundState | null) =>
  status === "REFUNDED" && refund !== null && refund !== "done" ? REFUND_STATE_LABEL[refund] : ORDER_STATUS_LABEL[status];

/** The tabs of 我的订单 and the statuses each shows (退款 also the orders with a refund request under way: tabWhere). */
export const ORDER_TABS = {
  all: { label: "全部", statuses: null },
  unpaid: { label: "待付款", statuses: ["PENDING_PAYMENT"] },
  unshipped: { label: "待发货", statuses: ["PAID"] },
  shipped: { label: "待收货", statuses: ["SHIPPED"] },
  done: { label: "已完成", statuses: ["DELIVERED", "COMPLETED"] },
  refund: { label: "退款", statuses: ["REFUNDED"] },
} as const satisfies Record<string, { label: string; statuses: OrderStatus[] | null }>;
export type OrderTab = keyof typeof ORDER_TABS;
export const ORDER_TAB_KEYS = Object.keys(ORDER_TABS) as OrderTab[];

export { REFUNDABLE } from "./refundable";

/** The orders a tab lists: 退款/售后 also holds those whose refund request awaits the merchant, not only the refunded. */
function tabWhere(tab: OrderTab): Prisma.OrderWhereInput {
  const statuses = ORDER_TABS[tab].statuses;
  if (tab === "refund") return { OR: [{ status: { in: [...statuses!] } }, { refundRequests: { some: { status: "PENDING" } } }] };
  return statuses ? { status: { in: [...statuses] } } : {};
}

/** The total line's label key: due while unpaid, paid once paid; a cancelled order never paid shows its order amount. */
export type AmountLabel = "due" | "paid" | "total";

/**
 * The order's total as the shopper reads it: an order never paid shows no 实付; its store credit, given back on
 * cancel (and on refund), is marked returned, and a never-paid order's amount is then not reduced by it.
 */
export function amountOf(o: { status: OrderStatus; paidAt: Date | null; payableFen: number; creditUsedFen: number }): { label: AmountLabel; fen: number; creditReturned: boolean } {
  const creditReturned = o.creditUsedFen > 0 && (o.status === "CANCELLED" || o.status === "REFUNDED");
  if (o.status === "PENDING_PAYMENT") return { label: "due", fen: o.payableFen, creditReturned };
  if (o.paidAt) return { label: "paid", fen: o.payableFen, creditReturned };
  return { label: "total", fen: o.payableFen + o.creditUsedFen, creditReturned };
}

type Reader = Pick<Ctx, "tx">;

const lineSelect = {
  id: true,
  qty: true,
  unitPriceFen: true,
  discountFen: true,
  goodsFen: true,
  skuLabel: true,
  product: { select: { id: true, name: true, imageUrl: true } },
  sku: { select: { code: true, imageUrl: true } },
} as const;

/** What the shopper may do with an order now. */
export function orderActions(order: { status: OrderStatus; createdAt: Date; shippedAt: Date | null; deliveredAt: Date | null }, config: MallConfig, now: Date) {
  const unpaidOpen = order.status === "PENDING_PAYMENT" && now.getTime() < paymentDeadline(order, config).getTime();
  return {
    pay: unpaidOpen,
    cancel: order.status === "PENDING_PAYMENT",
    confirmDelivery: order.status === "SHIPPED",
    // A new request only: past the return window a delivered (or overdue shipped) order just waits for the sweeps.
    refund: refundRefusal(order, config, now, false) === null,
  };
}

export async function listMemberOrders(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number, tab: OrderTab, opts: { cursor?: number; limit?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 50);
  const rows = await ctx.tx.order.findMany({
    where: { memberId, ...tabWhere(tab) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    select: {
      id: true, orderNo: true, status: true, goodsFen: true, shippingFen: true, creditUsedFen: true, payableFen: true, createdAt: true, paidAt: true, shippedAt: true, deliveredAt: true, refundedAt: true, ruleVersionId: true,
      lines: { select: lineSelect, orderBy: { id: "asc" } },
    },
  });
  const hasMore = rows.length > limit;
  // Each order's deadlines and actions follow the rules it was placed under, as paying and refunding do.
  const rules = new Map<number | null, MallConfig>();
  for (const id of new Set(rows.map((o) => o.ruleVersionId))) rules.set(id, await rulesOfVersion(ctx, id));
  const page = hasMore ? rows.slice(0, limit) : rows;
  const refunds = await refundProgressOf(ctx.tx, page.filter((o) => o.status === "REFUNDED"));
  const items = page.map((o) => ({
    ...o,
    refundState: refunds.get(o.id)?.state ?? null,
    statusLabel: statusLabelOf(o.status, refunds.get(o.id)?.state ?? null),
    itemCount: o.lines.reduce((n, l) => n + l.qty, 0),
    amount: amountOf(o),
    paymentDeadline: o.status === "PENDING_PAYMENT" ? paymentDeadline(o, rules.get(o.ruleVersionId)!) : null,
    actions: orderActions(o, rules.get(o.ruleVersionId)!, ctx.now),
  }));
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}

export interface TimelineStep {
  key: string;
  label: string;
  at: Date | null;
  /** Expected time of a step not reached yet (automatic delivery, end of the return window). */
  due?: Date | null;
}

/** The order's own detail, or null when it does not exist or belongs to someone else. */
export async function getMemberOrder(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number, orderId: number) {
  const o = await ctx.tx.order.findFirst({
    where: { id: orderId, memberId },
    include: { lines: { select: lineSelect, orderBy: { id: "asc" } }, payments: { select: { provider: true, status: true, paidAt: true, refundNo: true, refundedAt: true } },
      shipment: { select: { carrier: true, trackingNo: true } },
    },
  });
  if (!o) return null;
  // The rules the order was placed under: its deadlines and actions follow them, as paying and refunding do.
  const c = await rulesOfVersion(ctx, o.ruleVersionId);
  const refund = o.status === "REFUNDED" ? (await refundProgressOf(ctx.tx, [o])).get(o.id)! : null;
  const steps: TimelineStep[] = [{ key: "created", label: "提交订单", at: o.createdAt }];
  if (o.status === "CANCELLED") {
    steps.push({ key: "cancelled", label: "订单已取消", at: o.cancelledAt });
  } else {
    steps.push({ key: "paid", label: "支付成功", at: o.paidAt });
    if (o.status !== "REFUNDED" || o.shippedAt) steps.push({ key: "shipped", label: "商家发货", at: o.shippedAt });
    if (o.status !== "REFUNDED" || o.deliveredAt) {
      steps.push({ key: "delivered", label: "确认收货", at: o.deliveredAt, due: o.shippedAt ? autoDeliverAt(o.shippedAt, c) : null });
    }
    if (refund?.state === "done") steps.push({ key: "refunded", label: "退款成功", at: refund.doneAt ?? o.refundedAt });
    else if (refund) {
      // Refunded at o.refundedAt, the money not back yet: the success step is still to come.
      const where = refund.state === "pending" ? { key: "refunding", label: "退款中（款项将原路退回）" } : { key: "refundStuck", label: "退款处理中，商家正在处理" };
      steps.push({ ...where, at: o.refundedAt }, { key: "refunded", label: "退款成功", at: null });
    } else steps.push({ key: "completed", label: "交易完成", at: o.completedAt, due: o.deliveredAt ? returnWindowEnd(o.deliveredAt, c) : null });
  }
  return {
    id: o.id,
    orderNo: o.orderNo,
    status: o.status,
    statusLabel: statusLabelOf(o.status, refund?.state ?? null),
    refundState: refund?.state ?? null,
    address: o.address,
    goodsFen: o.goodsFen,
    discountFen: o.lines.reduce((s, l) => s + l.discountFen, 0),
    grossFen: o.lines.reduce((s, l) => s + l.unitPriceFen * l.qty, 0),
    shippingFen: o.shippingFen,
    creditUsedFen: o.creditUsedFen,
    payableFen: o.payableFen,
    amount: amountOf(o),
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    /** 优先发货: the shopper's tier carried it when the order was paid (SPEC §7). */
    priorityShipping: o.priorityShipping,
    lines: o.lines,
    payment: o.payments[0] ?? null,
    shipment: o.shipment ? { carrier: o.shipment.carrier, carrierName: carrierName(o.shipment.carrier), trackingNo: o.shipment.trackingNo } : null,
    timeline: steps,
    paymentDeadline: o.status === "PENDING_PAYMENT" ? paymentDeadline(o, c) : null,
    returnWindowEndsAt: o.status === "DELIVERED" && o.deliveredAt ? returnWindowEnd(o.deliveredAt, c) : null,
    actions: orderActions(o, c, ctx.now),
  };
}

/**
 * What the payment result page may say about 推三返一 for a paid order (SPEC §5): the task it opened, with its own terms;
 * or, when none opened, the reason a shopper should know — the goods under minAnchorFen (`belowMin`), 推三返一 switched off
 * (`off`, said nothing of) — else `none` (a frozen buyer, a cashback of 0 fen: nothing specific is said).
 */
export type PaidOrderCashback =
  | { kind: "task"; status: RebateStatus; n: number; cashbackFen: number; windowDays: number; deadline: Date; payout: string }
  | { kind: "belowMin"; minAnchorFen: number }
  | { kind: "off" }
  | { kind: "none" };

async function paidOrderCashback(tx: Reader["tx"], o: { id: number; memberId: number; goodsFen: number; paidAt: Date; ruleVersionId: number | null }): Promise<PaidOrderCashback> {
  const task = await tx.rebateTask.findUnique({ where: { anchorOrderId: o.id }, select: { status: true, n: true, cashbackFen: true, createdAt: true, deadline: true, payout: true } });
  if (task) {
    const { createdAt, ...terms } = task;
    return { kind: "task", ...terms, windowDays: Math.round((task.deadline.getTime() - createdAt.getTime()) / DAY) };
  }
  // The settings the payment read (server/rebate openRebateTask): the order's rule version, the buyer's experiment arm.
  const inForce = await loadRules(tx, o.paidAt);
  const config = await rulesOfVersion({ tx, config: inForce.config, ruleVersionId: inForce.versionId }, o.ruleVersionId);
  const rebate = await rebateFor(tx, config, o.memberId, o.paidAt);
  if (!rebate.enabled) return { kind: "off" };
  if (o.goodsFen < rebate.minAnchorFen) return { kind: "belowMin", minAnchorFen: rebate.minAnchorFen };
  return { kind: "none" };
}

/**
 * Status, for the payment result page's polling, and once paid its 推三返一 (paidOrderCashback). The task opens in the
 * payment's own transaction (server/orders onOrderPaid), so a paid status read here always comes with it; unpaid: null.
 */
export async function memberOrderStatus(ctx: Reader, memberId: number, orderId: number) {
  const o = await ctx.tx.order.findFirst({
    where: { id: orderId, memberId },
    select: { id: true, orderNo: true, status: true, payableFen: true, paidAt: true, goodsFen: true, ruleVersionId: true },
  });
  if (!o) return null;
  const { goodsFen, ruleVersionId, ...status } = o;
  const cashback = o.paidAt ? await paidOrderCashback(ctx.tx, { id: o.id, memberId, goodsFen, paidAt: o.paidAt, ruleVersionId }) : null;
  return { ...status, statusLabel: ORDER_STATUS_LABEL[o.status], cashback };
}
