// The after-sales queue's CSV (operator, support, owner): the page's status and order-number filters,
// the order's amount in 元 with two decimals, the reason, the decision and when it falls due.
import { z } from "zod";
import type { Db } from "../db";
import type { RefundRequestStatus } from "../db/generated/client";
import { countRefundRequests, refundQueueExportPage, type RefundQueueFilter, type RefundQueueItem as Row } from "../aftersales/view";
import { ORDER_STATUS_LABEL } from "../orders/view";
import { afterLast, yuanCell, type CsvColumn } from "./csv";

const STATUSES = ["PENDING", "APPROVED", "REJECTED", "CLOSED"] as const satisfies readonly RefundRequestStatus[];

const filterSchema = z.object({ status: z.enum(STATUSES).optional(), orderNo: z.string().trim().max(40).optional() });
type Filter = z.infer<typeof filterSchema>;

/** As the page reads its URL: no status = the pending queue, "all" = every request. */
function fromSearch(params: URLSearchParams): Filter | null {
  const status = params.get("status")?.trim() || "PENDING";
  const parsed = filterSchema.safeParse({ status: status === "all" ? undefined : status, orderNo: params.get("orderNo")?.trim() || undefined });
  return parsed.success ? parsed.data : null;
}

/** Every request of the filter in the queue's order, `take` per query, each page seeking after the last row written. */
export function afterSalesExportRows(db: Db, f: RefundQueueFilter, take = 500): AsyncGenerator<Row> {
  return afterLast((after, n) => refundQueueExportPage({ tx: db }, f, after, n), take);
}

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "售后单号", value: (r) => r.id },
    { header: "订单号", value: (r) => r.order.orderNo },
    { header: "买家", value: (r) => r.order.buyer },
    { header: "商品", value: (r) => r.order.summary },
    { header: "退款金额(元)", value: (r) => yuanCell(r.order.payableFen) },
    { header: "原因", value: (r) => r.reasonLabel },
    { header: "说明", value: (r) => r.detail ?? "" },
    { header: "照片数", value: (r) => r.photos.length },
    { header: "状态", value: (r) => r.statusLabel },
    { header: "订单状态", value: (r) => ORDER_STATUS_LABEL[r.order.status] },
    { header: "申请时间", value: (r) => time.format(r.createdAt) },
    { header: "自动同意时间", value: (r) => (r.status === "PENDING" && r.dueAt ? time.format(r.dueAt) : "") },
    { header: "处理时间", value: (r) => (r.decidedAt ? time.format(r.decidedAt) : "") },
    { header: "拒绝原因", value: (r) => r.rejectReason ?? "" },
  ];
}

export const afterSalesExport = {
  kind: "after-sales",
  area: "ordersRead",
  title: "售后申请",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count: (db: Db, f: Filter) => countRefundRequests({ tx: db }, f),
  rows: (db: Db, f: Filter) => afterSalesExportRows(db, f),
  columns,
} as const;
