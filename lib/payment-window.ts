// The payment window's margins, shared by the server (provider expiry, refusal to start) and the order pages (the pay button).

/** The provider stops taking payment this long before our cancel deadline: a callback delayed up to it still finds the order open. */
export const PROVIDER_EXPIRY_MARGIN_MS = 2 * 60_000;

/** A provider payment is started only while the provider's own expiry is still at least a minute away. */
export const PAYMENT_START_MARGIN_MS = PROVIDER_EXPIRY_MARGIN_MS + 60_000;

/** Whether a pending order can still start a payment with `leftMs` before its cancel deadline (store credit alone needs no provider). */
export function paymentCanStart(leftMs: number, payableFen: number): boolean {
  return leftMs > 0 && (payableFen === 0 || leftMs >= PAYMENT_START_MARGIN_MS);
}
