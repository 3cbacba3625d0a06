// After-sales constants shared by the domain, the schemas and the pages (no server imports here).
export const REFUND_REASONS = ["no_longer_needed", "wrong_item", "damaged", "not_as_described", "quality", "missing_parts", "other"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
/** The goods have not left: a wrong, damaged, short or poor item cannot be the reason yet. */
const NOT_SHIPPED_REASONS: readonly RefundReason[] = ["no_longer_needed", "other"];
/** The reasons the request form offers: before shipping only those that do not need the goods in hand. */
export function refundReasonsFor(shipped: boolean): readonly RefundReason[] {
  return shipped ? REFUND_REASONS : NOT_SHIPPED_REASONS;
}
export const MAX_DETAIL_CHARS = 200;
export const MAX_REJECT_REASON_CHARS = 200;
export const MAX_PHOTOS = 6;
