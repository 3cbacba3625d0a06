import { DAY, MINUTE } from "../clock/time";
import { MAX_AUTO_DELIVER_DAYS, MAX_PAYMENT_TIMEOUT_MINUTES } from "../config/schema";

/** The moment an unpaid order is cancelled automatically (SPEC §1: 30 minutes by default). */
export function paymentDeadline(order: { createdAt: Date }, config: { paymentTimeoutMinutes: number }): Date {
  // A version stored before the bound (config/schema configBounds) may hold any count, past what a Date can hold: the largest applies.
  return new Date(order.createdAt.getTime() + Math.min(config.paymentTimeoutMinutes, MAX_PAYMENT_TIMEOUT_MINUTES) * MINUTE);
}

/** The moment a shipped order counts as delivered if the shopper has not confirmed it (SPEC §1). */
export function autoDeliverAt(shippedAt: Date, config: { autoDeliverDays: number }): Date {
  // A version stored before the bound (config/schema configBounds) may hold any count, past what a Date can hold: the largest applies.
  return new Date(shippedAt.getTime() + Math.min(config.autoDeliverDays, MAX_AUTO_DELIVER_DAYS) * DAY);
}

/** The moment a delivered order's return window closes and it completes (SPEC §1), under the given rules. */
export function returnWindowEnd(deliveredAt: Date, config: { returnWindowDays: number }): Date {
  return new Date(deliveredAt.getTime() + config.returnWindowDays * DAY);
}

/** Whether a delivered order's return window has closed at `now`: no refund may be asked for any more. */
export function returnWindowClosed(order: { deliveredAt: Date | null }, config: { returnWindowDays: number }, now: Date): boolean {
  return order.deliveredAt !== null && now.getTime() >= returnWindowEnd(order.deliveredAt, config).getTime();
}
