// The after-sales queue's CSV (operator, support, owner): the page's status and order-number filters,
// the refund in 元 with two decimals (its 购物金 part apart), the reason, the decision and when it falls due.
import { z } from "zod";
import type { Db } from "../db";
import type { RefundRequestStatus } from "../db/generated/client";
import { countRefundRequests, refundQueueExportPage, type RefundQueueFilter, type RefundQueueItem as Row } from "../aftersales/view";
import { ORDER_STATUS_LABEL } from "../orders/view";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

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

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.requestNo"), value: (r) => r.id },
    { header: t("mx.csv.orderNo"), value: (r) => r.order.orderNo },
    { header: t("mx.csv.buyer"), value: (r) => r.order.buyer },
    { header: t("mx.csv.items"), value: (r) => r.order.summary },
    // The whole refund (payment path + 购物金) and its store-credit part; blank when nothing is refunded (rejected, closed).
    { header: t("mx.csv.refundYuan"), value: (r) => yuanCell(r.refund?.totalFen) },
    { header: t("mx.csv.refundCreditYuan"), value: (r) => yuanCell(r.refund?.creditFen) },
    // Reasons and statuses as the queue's page names them; a code the messages lack keeps the engine's label.
    { header: t("mx.csv.reason"), value: (r) => t.opt(`afterSales.reason.${r.reason}`, r.reasonLabel) },
    { header: t("mx.csv.detail"), value: (r) => r.detail ?? "" },
    { header: t("mx.csv.photos"), value: (r) => r.photos.length },
    { header: t("mx.csv.status"), value: (r) => t.opt(`afterSales.status.${r.status}`, r.statusLabel) },
    { header: t("mx.csv.orderStatus"), value: (r) => t.opt(`order.status.${r.order.status}`, ORDER_STATUS_LABEL[r.order.status]) },
    { header: t("mx.csv.requestedAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.autoApproveAt"), value: (r) => (r.status === "PENDING" && r.dueAt ? time(r.dueAt) : "") },
    { header: t("mx.csv.decidedAt"), value: (r) => (r.decidedAt ? time(r.decidedAt) : "") },
    { header: t("mx.csv.rejectReason"), value: (r) => r.rejectReason ?? "" },
  ];
}

export const afterSalesExport = {
  kind: "after-sales",
  area: "ordersRead",
  title: "mx.csv.file.afterSales",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count: (db: Db, f: Filter) => countRefundRequests({ tx: db }, f),
  rows: (db: Db, f: Filter) => afterSalesExportRows(db, f),
  columns,
} as const;
