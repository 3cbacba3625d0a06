// After-sales constants shared by the domain, the schemas and the pages (no server imports here).
export const REFUND_REASONS = ["no_longer_needed", "wrong_item", "damaged", "not_as_described", "quality", "missing_parts", "other"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
export const MAX_DETAIL_CHARS = 200;
export const MAX_REJECT_REASON_CHARS = 200;
export const MAX_PHOTOS = 6;
