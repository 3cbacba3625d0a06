// The orders list's CSV (operator, support, owner): the search form's filters, goods and payable
// amounts in 元 with two decimals, the buyer as the list shows them (masked phone, never the address).
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import { ORDER_SORTS, countOrders, orderExportPage, type MerchantOrderFilter, type MerchantOrderItem as Row } from "../orders/merchant";
import { ORDER_STATUS_LABEL } from "../orders/view";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

const STATUSES = Object.keys(ORDER_STATUS_LABEL) as [keyof typeof ORDER_STATUS_LABEL, ...(keyof typeof ORDER_STATUS_LABEL)[]];

const filterSchema = z.object({
  orderNo: z.string().trim().max(40).optional(),
  phone: z.string().trim().max(20).optional(),
  status: z.enum(STATUSES).optional(),
  refund: z.enum(["pending", "stuck"]).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  product: z.string().trim().max(60).optional(),
  priority: z.boolean().optional(),
  sort: z.enum(ORDER_SORTS).optional(),
});

const REFUND_STATUSES = new Map<string, "pending" | "stuck">([["REFUND_PENDING", "pending"], ["REFUND_STUCK", "stuck"]]);

function fromSearch(params: URLSearchParams): MerchantOrderFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const sort = (ORDER_SORTS as readonly string[]).includes(get("sort") ?? "") ? get("sort") : undefined;
  // The list's 退款中 / 退款异常 sit in its status filter (app/merchant/orders): REFUNDED orders by refund progress.
  const refund = REFUND_STATUSES.get(get("status") ?? "");
  const status = refund ? undefined : get("status");
  // 仅优先发货 is `priority=1` in the list's URL (app/merchant/orders).
  const priority = get("priority") === "1" || undefined;
  const parsed = filterSchema.safeParse({ orderNo: get("orderNo"), phone: get("phone"), status, refund, from: get("from"), to: get("to"), product: get("product"), priority, sort });
  return parsed.success ? parsed.data : null;
}

/** Every order of the filter in the list's order, `take` per query, each page seeking after the last row written. */
export async function* orderExportRows(db: Db, f: MerchantOrderFilter, take = 500): AsyncGenerator<Row> {
  const reader = { tx: db, config: await loadConfig(db) };
  yield* afterLast((after, n) => orderExportPage(reader, f, after, n), take);
}

// Exact, once per export (the list caps its count at 10 000): a background job's progress is rows done of this.
async function count(db: Db, f: MerchantOrderFilter): Promise<number> {
  return countOrders({ tx: db, config: await loadConfig(db) }, f);
}

/** The status as the orders page shows it: a refunded order whose money is still on its way (or stuck) by its refund progress. */
function statusLabel(t: Translator, r: Row): string {
  if (r.status === "REFUNDED" && (r.refundState === "pending" || r.refundState === "stuck")) return t(`mo.refundState.${r.refundState}`);
  return t.opt(`order.status.${r.status}`, r.statusLabel);
}

function columns(timeZone: string, t: Translator = exportTranslator()): CsvColumn<Row>[] {
  const time = csvTimeFormat(timeZone);
  return [
    { header: t("mx.csv.orderNo"), value: (r) => r.orderNo },
    { header: t("mx.csv.buyer"), value: (r) => r.buyer },
    { header: t("mx.csv.memberId"), value: (r) => r.buyerId },
    { header: t("mx.csv.items"), value: (r) => r.summary },
    { header: t("mx.csv.itemCount"), value: (r) => r.itemCount },
    { header: t("mx.csv.goodsYuan"), value: (r) => yuanCell(r.goodsFen) },
    { header: t("mx.csv.payableYuan"), value: (r) => yuanCell(r.payableFen) },
    { header: t("mx.csv.creditYuan"), value: (r) => yuanCell(r.creditUsedFen) },
    { header: t("mx.csv.status"), value: (r) => statusLabel(t, r) },
    { header: t("mx.csv.afterSalesOpen"), value: (r) => (r.refundRequestOpen ? t("mm.yes") : "") },
    { header: t("mx.csv.priorityShipping"), value: (r) => (r.priorityShipping ? t("mm.yes") : "") },
    { header: t("mx.csv.orderedAt"), value: (r) => time(r.createdAt) },
    { header: t("mx.csv.paidAt"), value: (r) => (r.paidAt ? time(r.paidAt) : "") },
    // The carrier by its name in the file's language (the shop's carrier names), then the tracking number.
    { header: t("mx.csv.shipment"), value: (r) => (r.shipment ? `${t.opt(`order.carrier.${r.shipment.carrier}`, r.shipment.carrierName)} ${r.shipment.trackingNo}` : "") },
  ];
}

export const orderExport = {
  kind: "orders",
  area: "ordersRead",
  title: "mx.csv.file.orders",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count,
  rows: (db: Db, f: MerchantOrderFilter) => orderExportRows(db, f),
  columns,
} as const;
