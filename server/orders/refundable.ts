// Whether a full refund of an order is allowed now (SPEC §1): the one rule the refund itself and the back
// office's 退款 offer both read, so the button is never shown for a refund the server would refuse.
import type { OrderStatus } from "../db/generated/client";
import { autoDeliverAt, returnWindowClosed } from "./deadlines";

export const REFUNDABLE: OrderStatus[] = ["PAID", "SHIPPED", "DELIVERED"];

/** Why a refund is refused, in refundOrder's words (server/payments maps them to the client's message). */
export type RefundRefusal = `order is ${OrderStatus}` | "return window closed";

/**
 * When a shipped order counts as delivered if it is confirmed (or swept) at `now`: then, or when its automatic
 * delivery fell due if that is earlier, so a late sweep never pushes the return window out (SPEC §1, §9).
 */
export function deliveryTimeAt(shippedAt: Date, rules: { autoDeliverDays: number }, now: Date): Date {
  const dueAt = autoDeliverAt(shippedAt, rules);
  return now < dueAt ? now : dueAt;
}

/**
 * Why a full refund of the order is refused at `now`, or null when it is allowed: only while PAID, SHIPPED
 * or DELIVERED; past the return window (from delivery, or for a shipped order from when its automatic delivery
 * fell due, even if that has not run yet) only on an after-sales request made in time, which is still open
 * (`requestOpen`). `rules`: those the order was placed under (rulesOfVersion).
 */
export function refundRefusal(
  order: { status: OrderStatus; shippedAt: Date | null; deliveredAt: Date | null },
  rules: { returnWindowDays: number; autoDeliverDays: number },
  now: Date,
  requestOpen: boolean,
): RefundRefusal | null {
  if (!REFUNDABLE.includes(order.status)) return `order is ${order.status}`;
  const deliveredAt = order.status === "SHIPPED" && order.shippedAt ? deliveryTimeAt(order.shippedAt, rules, now) : order.deliveredAt;
  if (returnWindowClosed({ deliveredAt }, rules, now) && !requestOpen) return "return window closed";
  return null;
}
