// The orders list's CSV (operator, support, owner): the search form's filters, goods and payable
// amounts in 元 with two decimals, the buyer as the list shows them (masked phone, never the address).
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import { ORDER_SORTS, countOrders, orderExportPage, type MerchantOrderFilter, type MerchantOrderItem as Row } from "../orders/merchant";
import { ORDER_STATUS_LABEL } from "../orders/view";
import { afterLast, yuanCell, type CsvColumn } from "./csv";

const STATUSES = Object.keys(ORDER_STATUS_LABEL) as [keyof typeof ORDER_STATUS_LABEL, ...(keyof typeof ORDER_STATUS_LABEL)[]];

const filterSchema = z.object({
  orderNo: z.string().trim().max(40).optional(),
  phone: z.string().trim().max(20).optional(),
  status: z.enum(STATUSES).optional(),
  refund: z.enum(["pending", "stuck"]).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  product: z.string().trim().max(60).optional(),
  sort: z.enum(ORDER_SORTS).optional(),
});

const REFUND_STATUSES = new Map<string, "pending" | "stuck">([["REFUND_PENDING", "pending"], ["REFUND_STUCK", "stuck"]]);

function fromSearch(params: URLSearchParams): MerchantOrderFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const sort = (ORDER_SORTS as readonly string[]).includes(get("sort") ?? "") ? get("sort") : undefined;
  // The list's 退款中 / 退款异常 sit in its status filter (app/merchant/orders): REFUNDED orders by refund progress.
  const refund = REFUND_STATUSES.get(get("status") ?? "");
  const status = refund ? undefined : get("status");
  const parsed = filterSchema.safeParse({ orderNo: get("orderNo"), phone: get("phone"), status, refund, from: get("from"), to: get("to"), product: get("product"), sort });
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

function columns(timeZone: string): CsvColumn<Row>[] {
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone, dateStyle: "short", timeStyle: "medium" });
  return [
    { header: "订单号", value: (r) => r.orderNo },
    { header: "买家", value: (r) => r.buyer },
    { header: "会员 ID", value: (r) => r.buyerId },
    { header: "商品", value: (r) => r.summary },
    { header: "件数", value: (r) => r.itemCount },
    { header: "商品金额(元)", value: (r) => yuanCell(r.goodsFen) },
    { header: "实付(元)", value: (r) => yuanCell(r.payableFen) },
    { header: "购物金抵扣(元)", value: (r) => yuanCell(r.creditUsedFen) },
    { header: "状态", value: (r) => r.statusLabel },
    { header: "售后中", value: (r) => (r.refundRequestOpen ? "是" : "") },
    { header: "下单时间", value: (r) => time.format(r.createdAt) },
    { header: "支付时间", value: (r) => (r.paidAt ? time.format(r.paidAt) : "") },
    { header: "物流", value: (r) => (r.shipment ? `${r.shipment.carrierName} ${r.shipment.trackingNo}` : "") },
  ];
}

export const orderExport = {
  kind: "orders",
  area: "ordersRead",
  title: "订单列表",
  fromSearch,
  parse: (p: unknown) => filterSchema.parse(p),
  count,
  rows: (db: Db, f: MerchantOrderFilter) => orderExportRows(db, f),
  columns,
} as const;
