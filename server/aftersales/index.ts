// After-sales (售后, issue 9 on SPEC §1): a shopper's refund is a *request* with a reason (and photos
// once uploads exist). An order not shipped yet (PAID) is refunded at once; a shipped or delivered
// one waits for the merchant, who approves (the order's refund path: commissions VOID, rebate tasks
// per SPEC §5) or rejects with a reason the shopper sees. A request left unanswered for 48 h is
// approved automatically (DueTransition REFUND_REQUEST_AUTO_APPROVE → autoApproveRefundRequest).
//
// Concurrency: every function locks the order row first, then the request row, so they serialize
// per order; `openOrderId` (unique, = orderId while PENDING) makes a second open request impossible.
import type { Db } from "../db";
import { audit, inTx, notify, refuse, rulesOfVersion, type Ctx } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { HOUR } from "../clock/time";
import { refundOrder } from "../orders";
import { returnWindowEnd } from "../orders/deadlines";
import { refundRefusal } from "../orders/refundable";
import { scheduleDue } from "../scheduler/due";
import { performProviderCall } from "../payments/calls";
import { describeError } from "../api/internal-errors";
import type { OrderStatus, RefundRequestStatus } from "../db/generated/enums";
import { ownPhotos } from "./uploads";
import { REFUND_REASONS, MAX_DETAIL_CHARS, MAX_REJECT_REASON_CHARS, MAX_PHOTOS, type RefundReason } from "./constants";

/** How long the merchant has to answer before the request is approved automatically. */
export const AUTO_APPROVE_MS = 48 * HOUR;

export { REFUND_REASONS, MAX_DETAIL_CHARS, MAX_REJECT_REASON_CHARS, MAX_PHOTOS, type RefundReason };
export const REFUND_REASON_LABEL: Record<RefundReason, string> = {
  no_longer_needed: "不想要了",
  wrong_item: "商家发错货",
  damaged: "商品破损",
  not_as_described: "与描述不符",
  quality: "质量问题",
  missing_parts: "少件/漏发",
  other: "其他",
};

const REFUNDABLE: OrderStatus[] = ["PAID", "SHIPPED", "DELIVERED"];
const NOT_REFUNDABLE_MESSAGE: Partial<Record<OrderStatus, string>> = {
  PENDING_PAYMENT: "订单未支付，无需退款",
  CANCELLED: "订单已取消",
  REFUNDED: "订单已退款",
  COMPLETED: "售后期已过，无法退款",
};

/** Who decided: a member of staff. */
export type Decider = StaffActor;

export interface RefundRequestInput {
  reason: string;
  detail?: string | null;
  photos?: string[];
}

async function lockOrder(ctx: Ctx, orderId: number) {
  const rows = await ctx.tx.$queryRaw<{ id: number; memberId: number; status: OrderStatus; orderNo: string; shippedAt: Date | null; deliveredAt: Date | null; ruleVersionId: number | null }[]>`
    SELECT id, "memberId", status::text AS status, "orderNo", "shippedAt", "deliveredAt", "ruleVersionId" FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
  return rows[0] ?? null;
}

async function lockRequest(ctx: Ctx, requestId: number) {
  await ctx.tx.$queryRaw`SELECT id FROM "RefundRequest" WHERE id = ${requestId} FOR UPDATE`;
  return ctx.tx.refundRequest.findUnique({ where: { id: requestId } });
}

function cleanInput(input: RefundRequestInput) {
  if (!(REFUND_REASONS as readonly string[]).includes(input.reason)) refuse("INVALID_REASON", "请选择退款原因");
  const detail = input.detail?.trim() || null;
  if (detail && Array.from(detail).length > MAX_DETAIL_CHARS) refuse("DETAIL_TOO_LONG", `补充说明不能超过 ${MAX_DETAIL_CHARS} 字`);
  if (input.reason === "other" && !detail) refuse("DETAIL_REQUIRED", "选择“其他”时请说明退款原因");
  const photos = input.photos ?? [];
  if (photos.length > MAX_PHOTOS) refuse("TOO_MANY_PHOTOS", `最多上传 ${MAX_PHOTOS} 张图片`);
  return { reason: input.reason, detail, photos };
}

/**
 * 申请退款: the shopper's own order while PAID, SHIPPED or DELIVERED. PAID (not shipped) is refunded
 * at once; otherwise the request waits for the merchant (approved automatically after 48 h).
 */
export async function requestRefund(ctx: Ctx, memberId: number, orderId: number, input: RefundRequestInput) {
  const order = await lockOrder(ctx, orderId);
  if (!order || order.memberId !== memberId) refuse("ORDER_NOT_FOUND", "订单不存在");
  if (!REFUNDABLE.includes(order.status)) refuse("NOT_REFUNDABLE", NOT_REFUNDABLE_MESSAGE[order.status] ?? "订单当前不可退款");
  // Closed even if the delivery or completion sweep has not run yet: the window is the rule, not the sweep.
  if (refundRefusal(order, await rulesOfVersion(ctx, order.ruleVersionId), ctx.now, false) === "return window closed") refuse("RETURN_WINDOW_CLOSED", "退货期已过，不能再申请退款");
  const open = await ctx.tx.refundRequest.findUnique({ where: { openOrderId: orderId }, select: { id: true } });
  if (open) refuse("REQUEST_OPEN", "该订单已有处理中的退款申请");
  const clean = cleanInput(input);
  // Only pictures this member uploaded: a request never links to arbitrary sites or others' files.
  clean.photos = await ownPhotos(ctx.tx, memberId, clean.photos);
  const target = `order:${order.orderNo}`;

  if (order.status === "PAID") {
    const result = await refundOrder(ctx, orderId);
    if (!result.refunded) refuse("NOT_REFUNDABLE", "订单当前不可退款");
    const request = await ctx.tx.refundRequest.create({
      data: { orderId, memberId, ...clean, status: "APPROVED", orderStatus: order.status, resolution: "immediate", createdAt: ctx.now, decidedAt: ctx.now },
    });
    await audit(ctx, memberId, "aftersales.refunded_unshipped", target, { requestId: request.id, reason: clean.reason });
    return { request, refunded: true };
  }

  const dueAt = new Date(ctx.now.getTime() + AUTO_APPROVE_MS);
  const request = await ctx.tx.refundRequest.create({
    data: { orderId, memberId, ...clean, status: "PENDING", orderStatus: order.status, createdAt: ctx.now, dueAt, openOrderId: orderId },
  });
  await scheduleDue(ctx, "REFUND_REQUEST_AUTO_APPROVE", request.id, dueAt);
  await audit(ctx, memberId, "aftersales.requested", target, { requestId: request.id, reason: clean.reason });
  await notify(ctx, memberId, "refund", "refund.requested", { orderNo: order.orderNo });
  return { request, refunded: false };
}

/** Settles a PENDING request as approved: the order's refund path, once. */
async function approve(ctx: Ctx, requestId: number, orderId: number, resolution: "merchant" | "auto", decidedById: number | null) {
  const result = await refundOrder(ctx, orderId, requestId);
  let status: RefundRequestStatus = "APPROVED";
  let finalResolution: string = resolution;
  if (!result.refunded) {
    const order = await ctx.tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true } });
    // Refunded directly while the request stayed open (before refundOrder closed open requests): the shopper has their money.
    if (order.status === "REFUNDED") finalResolution = "already_refunded";
    else status = "CLOSED";
  }
  return ctx.tx.refundRequest.update({
    where: { id: requestId },
    data: { status, resolution: finalResolution, decidedAt: ctx.now, decidedById, openOrderId: null },
  });
}

async function pendingForDecision(ctx: Ctx, requestId: number) {
  const peek = await ctx.tx.refundRequest.findUnique({ where: { id: requestId }, select: { orderId: true } });
  if (!peek) refuse("REQUEST_NOT_FOUND", "退款申请不存在");
  const order = await lockOrder(ctx, peek.orderId);
  const request = await lockRequest(ctx, requestId);
  if (!order || !request) refuse("REQUEST_NOT_FOUND", "退款申请不存在");
  return { order, request };
}

/** The merchant approves: the order is refunded through its refund path. */
export async function approveRefundRequest(ctx: Ctx, actor: Decider, requestId: number) {
  const { order, request } = await pendingForDecision(ctx, requestId);
  if (request.status !== "PENDING") refuse("ALREADY_DECIDED", "该申请已处理");
  const decided = await approve(ctx, request.id, order.id, "merchant", actor.staffId);
  await auditStaff(ctx.tx, {
    actor: staffActor(actor),
    action: "aftersales.approved",
    target: `order:${order.orderNo}`,
    before: { request: "PENDING", order: order.status },
    after: { request: decided.status, resolution: decided.resolution },
    data: { refundRequestId: request.id },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return decided;
}

/** The merchant rejects with a reason the shopper sees; a completion held by the request resumes. */
export async function rejectRefundRequest(ctx: Ctx, actor: Decider, requestId: number, reason: string) {
  const why = reason.trim();
  if (!why) refuse("REASON_REQUIRED", "请填写拒绝原因");
  if (Array.from(why).length > MAX_REJECT_REASON_CHARS) refuse("REASON_TOO_LONG", `拒绝原因不能超过 ${MAX_REJECT_REASON_CHARS} 字`);
  const { order, request } = await pendingForDecision(ctx, requestId);
  if (request.status !== "PENDING") refuse("ALREADY_DECIDED", "该申请已处理");
  // The shopper has their money: telling them 退款申请未通过 now would be false.
  if (order.status === "REFUNDED") refuse("ALREADY_DECIDED", "订单已退款，该申请已处理");
  // The shopper was promised approval at dueAt; refusing rolls this transaction back, so the due sweep approves it.
  if (request.dueAt && ctx.now >= request.dueAt) refuse("AUTO_APPROVE_DUE", "已超过处理时限，系统将自动同意退款，不能再拒绝");
  const decided = await ctx.tx.refundRequest.update({
    where: { id: request.id },
    data: { status: "REJECTED", resolution: "merchant", rejectReason: why, decidedAt: ctx.now, decidedById: actor.staffId, openOrderId: null },
  });
  // completeOrder skipped the order while the request was open: let the return window close now.
  if (order.status === "DELIVERED" && order.deliveredAt) {
    const due = new Date(Math.max(ctx.now.getTime(), returnWindowEnd(order.deliveredAt, await rulesOfVersion(ctx, order.ruleVersionId)).getTime()));
    await scheduleDue(ctx, "ORDER_COMPLETE", order.id, due);
  }
  await notify(ctx, request.memberId, "refund", "refund.rejected", { orderNo: order.orderNo, reason: why });
  await auditStaff(ctx.tx, {
    actor: staffActor(actor),
    action: "aftersales.rejected",
    target: `order:${order.orderNo}`,
    before: { request: "PENDING" },
    after: { request: "REJECTED", reason: why },
    data: { refundRequestId: request.id },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return decided;
}

/**
 * The timed transition: a request still PENDING at its due time is approved. Idempotent: a request
 * already decided, or not due yet, is left alone (returns false).
 */
export async function autoApproveRefundRequest(ctx: Ctx, requestId: number): Promise<boolean> {
  const peek = await ctx.tx.refundRequest.findUnique({ where: { id: requestId }, select: { orderId: true } });
  if (!peek) return false;
  const order = await lockOrder(ctx, peek.orderId);
  const request = await lockRequest(ctx, requestId);
  if (!order || !request || request.status !== "PENDING" || !request.dueAt || ctx.now < request.dueAt) return false;
  const decided = await approve(ctx, request.id, order.id, "auto", null);
  await audit(ctx, null, "aftersales.auto_approved", `order:${order.orderNo}`, { requestId: request.id, after: { request: decided.status, resolution: decided.resolution } });
  return true;
}

/**
 * After the refund committed: ask the provider now for the refund queued with it (ProviderCall,
 * idempotent by the refund number); a failure is retried by the provider-call sweep.
 */
export async function sendRefundToProvider(db: Db, orderId: number, now: Date): Promise<void> {
  // The refund has committed: a failure here (even to claim the call) is the retry sweep's, never the caller's 500.
  try {
    const calls = await db.providerCall.findMany({ where: { orderId, kind: "REFUND", status: "PENDING" }, select: { id: true } });
    for (const c of calls) await performProviderCall(db, c.id, now);
  } catch (e) {
    console.error(`[payments] refund of order ${orderId} committed, its provider call left to the retry sweep: ${describeError(e)}`);
  }
}

function isUniqueViolation(e: unknown): boolean {
  return (e as { code?: string })?.code === "P2002";
}

/** The shopper's request as one transaction, then the provider refund of an unshipped order. */
export async function shopperRequestRefund(db: Db, now: Date, memberId: number, orderId: number, input: RefundRequestInput) {
  let result;
  try {
    result = await inTx(db, { now }, (ctx) => requestRefund(ctx, memberId, orderId, input));
  } catch (e) {
    // Two requests at once that both passed the check: the unique open-request key refuses one.
    if (isUniqueViolation(e)) refuse("REQUEST_OPEN", "该订单已有处理中的退款申请");
    throw e;
  }
  if (result.refunded) await sendRefundToProvider(db, orderId, now);
  return { id: result.request.id, status: result.request.status, refunded: result.refunded };
}

/** The merchant's approval as one transaction, then the provider refund. */
export async function merchantApproveRefund(db: Db, now: Date, actor: Decider, requestId: number) {
  const decided = await inTx(db, { now }, (ctx) => approveRefundRequest(ctx, actor, requestId));
  if (decided.status === "APPROVED") await sendRefundToProvider(db, decided.orderId, now);
  return { id: decided.id, status: decided.status, resolution: decided.resolution };
}
