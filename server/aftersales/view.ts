// Read models of after-sales requests: the shopper's (own orders only) and the merchant's queue.
import { rulesOfVersion, type Ctx } from "../context";
import { refundRefusal } from "../orders/refundable";
import type { Prisma, RefundRequestStatus } from "../db/generated/client";
import { linesSummary } from "../orders/line-summary";
import { REFUND_REASON_LABEL, type RefundReason } from ".";
import { seekPage, seeksAfter, type SortDir } from "../exports/keyset";

type Reader = Pick<Ctx, "tx">;

export const REFUND_REQUEST_STATUS_LABEL: Record<RefundRequestStatus, string> = {
  PENDING: "待商家处理",
  APPROVED: "已同意退款",
  REJECTED: "已拒绝",
  CLOSED: "已关闭",
};

export function reasonLabel(code: string): string {
  return REFUND_REASON_LABEL[code as RefundReason] ?? code;
}

/** The shopper's requests on their own order (newest first) and whether they may ask now; null if not theirs. */
export async function afterSalesOfOrder(ctx: Pick<Ctx, "tx" | "config" | "now">, memberId: number, orderId: number) {
  const order = await ctx.tx.order.findFirst({ where: { id: orderId, memberId }, select: { id: true, status: true, shippedAt: true, deliveredAt: true, ruleVersionId: true } });
  if (!order) return null;
  const requests = await ctx.tx.refundRequest.findMany({
    where: { orderId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, reason: true, detail: true, photos: true, status: true, resolution: true, rejectReason: true, createdAt: true, dueAt: true, decidedAt: true, orderStatus: true },
  });
  const open = requests.some((r) => r.status === "PENDING");
  return {
    orderStatus: order.status,
    /** Not shipped yet: a request is refunded at once. */
    refundsAtOnce: order.status === "PAID",
    // The order's own return window (its rule version), as the order's 申请退款 action and the request itself reckon it.
    canRequest: !open && refundRefusal(order, await rulesOfVersion(ctx, order.ruleVersionId), ctx.now, false) === null,
    requests: requests.map((r) => ({ ...r, reasonLabel: reasonLabel(r.reason), statusLabel: REFUND_REQUEST_STATUS_LABEL[r.status] })),
  };
}

export interface RefundQueueFilter {
  status?: RefundRequestStatus;
  orderNo?: string;
  page?: number;
  pageSize?: number;
}

function queueWhere(f: RefundQueueFilter): Prisma.RefundRequestWhereInput {
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.orderNo ? { order: { orderNo: { contains: f.orderNo.trim() } } } : {}),
  };
}

/** The queue's order: the pending by when they fall due (soonest first, none last), every other view newest first; id breaks ties. */
function queueSort(f: RefundQueueFilter): { field: "dueAt" | "createdAt"; dir: SortDir } {
  return f.status === "PENDING" ? { field: "dueAt", dir: "asc" } : { field: "createdAt", dir: "desc" };
}

const QUEUE_INCLUDE = {
  order: {
    select: {
      id: true, orderNo: true, status: true, goodsFen: true, payableFen: true, creditUsedFen: true,
      member: { select: { id: true, nickname: true, phoneMasked: true, username: true } },
      lines: { select: { qty: true, skuLabel: true, product: { select: { name: true } } }, orderBy: { id: "asc" } },
    },
  },
} satisfies Prisma.RefundRequestInclude;

function queueItem(r: Prisma.RefundRequestGetPayload<{ include: typeof QUEUE_INCLUDE }>) {
  return {
    id: r.id,
    status: r.status,
    statusLabel: REFUND_REQUEST_STATUS_LABEL[r.status],
    reason: r.reason,
    reasonLabel: reasonLabel(r.reason),
    detail: r.detail,
    photos: r.photos,
    resolution: r.resolution,
    rejectReason: r.rejectReason,
    orderStatusAtRequest: r.orderStatus,
    createdAt: r.createdAt,
    dueAt: r.dueAt,
    decidedAt: r.decidedAt,
    // SPEC §1 full refunds: the payment path gets payableFen back and 购物金 its creditUsedFen; nothing for a rejected or closed request.
    refund: r.status === "REJECTED" || r.status === "CLOSED" ? null : { totalFen: r.order.payableFen + r.order.creditUsedFen, creditFen: r.order.creditUsedFen },
    order: {
      id: r.order.id,
      orderNo: r.order.orderNo,
      status: r.order.status,
      goodsFen: r.order.goodsFen,
      payableFen: r.order.payableFen,
      summary: linesSummary(r.order.lines),
      buyer: r.order.member.nickname ?? r.order.member.phoneMasked ?? r.order.member.username,
    },
  };
}

export type RefundQueueItem = ReturnType<typeof queueItem>;

/** The merchant's after-sales queue: oldest pending first (they are auto-approved soonest). */
export async function listRefundRequests(ctx: Reader, f: RefundQueueFilter = {}) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const where = queueWhere(f);
  const { field, dir } = queueSort(f);
  const [total, rows, counts] = await Promise.all([
    ctx.tx.refundRequest.count({ where }),
    ctx.tx.refundRequest.findMany({ where, orderBy: [{ [field]: dir }, { id: dir }], skip: (page - 1) * pageSize, take: pageSize, include: QUEUE_INCLUDE }),
    ctx.tx.refundRequest.groupBy({ by: ["status"], _count: { _all: true } }),
  ]);
  return {
    total,
    page,
    pageSize,
    counts: Object.fromEntries(counts.map((c) => [c.status, c._count._all])) as Partial<Record<RefundRequestStatus, number>>,
    items: rows.map(queueItem),
  };
}

/** The requests the queue's filter matches (a background export's progress counts against it, once). */
export function countRefundRequests(ctx: Reader, f: RefundQueueFilter): Promise<number> {
  return ctx.tx.refundRequest.count({ where: queueWhere(f) });
}

/**
 * The queue's CSV export, one page at a time: up to `take` requests after `after` (the previous page's last
 * row; null to start) in exactly the queue's order, each part seeking from the cursor (no offset).
 */
export async function refundQueueExportPage(ctx: Reader, f: RefundQueueFilter, after: Pick<RefundQueueItem, "id" | "createdAt" | "dueAt"> | null, take: number) {
  const where = queueWhere(f);
  const { field, dir } = queueSort(f);
  // dueAt ascending puts a request without one last (PostgreSQL's NULLS LAST for ASC), as the list does.
  const seeks = seeksAfter(field, dir, after && { value: after[field], id: after.id }, field === "dueAt" ? "last" : undefined);
  const rows = await seekPage(seeks, take, (seek, n) =>
    ctx.tx.refundRequest.findMany({ where: { AND: [where, seek.where as Prisma.RefundRequestWhereInput] }, orderBy: seek.orderBy as Prisma.RefundRequestOrderByWithRelationInput[], take: n, include: QUEUE_INCLUDE }),
  );
  return rows.map(queueItem);
}
