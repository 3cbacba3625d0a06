// Whether a full refund of an order is allowed now (SPEC §1): the one rule the refund itself and the back
// office's 退款 offer both read, so the button is never shown for a refund the server would refuse.
import type { OrderStatus } from "../db/generated/client";
import { returnWindowClosed } from "./deadlines";

export const REFUNDABLE: OrderStatus[] = ["PAID", "SHIPPED", "DELIVERED"];

/** Why a refund is refused, in refundOrder's words (server/payments maps them to the client's message). */
export type RefundRefusal = `order is ${OrderStatus}` | "return window closed";

/**
 * Why a full refund of the order is refused at `now`, or null when it is allowed: only while PAID, SHIPPED
 * or DELIVERED; past a delivered order's return window only on an after-sales request made in time, which
 * is still open (`requestOpen`). `rules`: those the order was placed under (rulesOfVersion).
 */
export function refundRefusal(
  order: { status: OrderStatus; deliveredAt: Date | null },
  rules: { returnWindowDays: number },
  now: Date,
  requestOpen: boolean,
): RefundRefusal | null {
  if (!REFUNDABLE.includes(order.status)) return `order is ${order.status}`;
  if (order.status === "DELIVERED" && returnWindowClosed(order, rules, now) && !requestOpen) return "return window closed";
  return null;
}
