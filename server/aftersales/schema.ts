// Zod schemas shared by the after-sales forms (react-hook-form resolver) and the tRPC inputs.
import { z } from "@/lib/zod-client";
import { id, text } from "@/server/validation";
import { MAX_DETAIL_CHARS, MAX_PHOTOS, MAX_REJECT_REASON_CHARS, REFUND_REASONS } from "./constants";

const refundRequestFields = z.object({
  reason: z.enum(REFUND_REASONS, { error: "请选择退款原因" }),
  detail: text(MAX_DETAIL_CHARS, `补充说明不能超过 ${MAX_DETAIL_CHARS} 字`).trim().optional(),
  photos: z.array(text(200)).max(MAX_PHOTOS, `最多上传 ${MAX_PHOTOS} 张图片`).optional(),
});
const otherNeedsDetail = (v: { reason: string; detail?: string }) => v.reason !== "other" || !!v.detail;
const otherNeedsDetailError = { message: "选择“其他”时请说明退款原因", path: ["detail"] };

/** The shopper's form. */
export const refundRequestInput = refundRequestFields.refine(otherNeedsDetail, otherNeedsDetailError);
/** The tRPC input: the form plus the order. */
export const refundRequestOnOrder = refundRequestFields.extend({ id: id() }).refine(otherNeedsDetail, otherNeedsDetailError);
export type RefundRequestForm = z.infer<typeof refundRequestInput>;

export const rejectRefundInput = z.object({
  reason: text(MAX_REJECT_REASON_CHARS, `拒绝原因不能超过 ${MAX_REJECT_REASON_CHARS} 字`).trim().min(1, "请填写拒绝原因"),
});
export type RejectRefundForm = z.infer<typeof rejectRefundInput>;
