// What shoppers and merchant staff may do to an order, on top of the lifecycle functions in ./index.
// A shopper acts only on their own orders: anyone else's is "not found" (ORDER_NOT_FOUND).
import type { Db } from "../db";
import type { Ctx } from "../context";
import { inTx, refuse } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { cancelUnpaidOrder, confirmDelivery, refundOrder } from ".";
import { sendRefundToProvider } from "../aftersales";
import { REFUNDABLE } from "./view";
import { performProviderCall } from "../payments/calls";
import { describeError } from "../api/internal-errors";

async function ownOrder(tx: Pick<Ctx, "tx">["tx"] | Db, memberId: number, orderId: number) {
  const order = await tx.order.findFirst({ where: { id: orderId, memberId }, select: { id: true, status: true, orderNo: true } });
  if (!order) refuse("ORDER_NOT_FOUND", "订单不存在");
  return order;
}

export async function shopperCancelOrder(ctx: Ctx, memberId: number, orderId: number) {
  await ownOrder(ctx.tx, memberId, orderId);
  if (!(await cancelUnpaidOrder(ctx, orderId, "shopper"))) refuse("NOT_CANCELLABLE", "订单已支付或已关闭，无法取消");
  return { cancelled: true };
}

/** The shopper's cancel, then at once the closes it queued: an open cashier stops taking money now, not at the next sweep. */
export async function shopperCancelOrderNow(db: Db, memberId: number, orderId: number, now: Date) {
  const result = await inTx(db, { now }, (ctx) => shopperCancelOrder(ctx, memberId, orderId));
  // The cancel has committed: a failure here is the retry sweep's, never the shopper's error.
  try {
    const calls = await db.providerCall.findMany({ where: { orderId, kind: "CLOSE", status: "PENDING" }, orderBy: { id: "asc" }, select: { id: true } });
    for (const c of calls) await performProviderCall(db, c.id, now);
  } catch (e) {
    console.error(`[payments] cancel of order ${orderId} committed, its trade closes left to the retry sweep: ${describeError(e)}`);
  }
  return result;
}

export async function shopperConfirmDelivery(ctx: Ctx, memberId: number, orderId: number) {
  await ownOrder(ctx.tx, memberId, orderId);
  if (!(await confirmDelivery(ctx, orderId))) refuse("NOT_SHIPPED", "订单未发货或已确认收货");
  return { delivered: true };
}

const NOT_REFUNDABLE_MESSAGE: Record<string, string> = {
  PENDING_PAYMENT: "订单未支付，无需退款",
  CANCELLED: "订单已取消",
  REFUNDED: "订单已退款",
  COMPLETED: "售后期已过，无法退款",
};

/** refundOrder's refusals that pass the status check above (the order changed meanwhile, or its window closed). */
const refusalMessage = (reason: string | undefined) =>
  reason === "return window closed" ? NOT_REFUNDABLE_MESSAGE.COMPLETED! : (NOT_REFUNDABLE_MESSAGE[reason?.replace(/^order is /, "") ?? ""] ?? "订单当前不可退款");

/**
 * The refund and its entry (who refunded) commit together; the provider is asked after commit, as the shopper's own
 * refund asks it (sendRefundToProvider): its failure is the outbox's to retry, never the staff member's 500.
 */
export async function merchantRefundOrder(db: Db, now: Date, actor: StaffActor, orderId: number) {
  const order = await db.order.findUnique({ where: { id: orderId }, select: { orderNo: true, status: true } });
  if (!order) refuse("ORDER_NOT_FOUND", "订单不存在");
  if (!REFUNDABLE.includes(order.status)) refuse("NOT_REFUNDABLE", NOT_REFUNDABLE_MESSAGE[order.status] ?? "订单当前不可退款");
  const result = await inTx(db, { now }, async (ctx) => {
    // The status the refund replaces, read under the order's lock (refundOrder takes the same lock first).
    const [locked] = await ctx.tx.$queryRaw<{ status: string }[]>`SELECT status FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
    const refunded = await refundOrder(ctx, orderId, null, actor);
    if (!refunded.refunded) refuse("NOT_REFUNDABLE", refusalMessage(refunded.reason));
    await auditStaff(ctx.tx, { actor: staffActor(actor), action: "order.refund.merchant", target: `order:${order.orderNo}`, before: { status: locked!.status }, after: { result: refunded }, requestId: actor.requestId, now: ctx.now });
    return refunded;
  });
  await sendRefundToProvider(db, orderId, now);
  return result;
}
