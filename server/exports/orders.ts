// The orders list's CSV (operator, support, owner): the search form's filters, goods and payable
// amounts in 元 with two decimals, the buyer as the list shows them (masked phone, never the address).
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import { ORDER_SORTS, searchOrders, type MerchantOrderFilter } from "../orders/merchant";
import { ORDER_STATUS_LABEL } from "../orders/view";
import { inPages, yuanCell, type CsvColumn } from "./csv";

type Row = Awaited<ReturnType<typeof searchOrders>>["items"][number];
const STATUSES = Object.keys(ORDER_STATUS_LABEL) as [keyof typeof ORDER_STATUS_LABEL, ...(keyof typeof ORDER_STATUS_LABEL)[]];
/** searchOrders' page size limit: a batch is several of its pages. */
const PAGE = 100;

const filterSchema = z.object({
  orderNo: z.string().trim().max(40).optional(),
  phone: z.string().trim().max(20).optional(),
  status: z.enum(STATUSES).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  product: z.string().trim().max(60).optional(),
  sort: z.enum(ORDER_SORTS).optional(),
});

function fromSearch(params: URLSearchParams): MerchantOrderFilter | null {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const sort = (ORDER_SORTS as readonly string[]).includes(get("sort") ?? "") ? get("sort") : undefined;
  const parsed = filterSchema.safeParse({ orderNo: get("orderNo"), phone: get("phone"), status: get("status"), from: get("from"), to: get("to"), product: get("product"), sort });
  return parsed.success ? parsed.data : null;
}

async function batch(db: Db, f: MerchantOrderFilter, _tz: string, skip: number, take: number): Promise<Row[]> {
  const reader = { tx: db, config: await loadConfig(db) };
  const out: Row[] = [];
  for (let s = skip; s < skip + take; s += PAGE) {
    const page = await searchOrders(reader, { ...f, page: Math.floor(s / PAGE) + 1, pageSize: PAGE });
    out.push(...page.items);
    if (page.items.length < PAGE) break;
  }
  return out;
}

async function count(db: Db, f: MerchantOrderFilter): Promise<number> {
  return (await searchOrders({ tx: db, config: await loadConfig(db) }, { ...f, pageSize: 1 })).total;
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
  rows: (db: Db, f: MerchantOrderFilter, tz: string) => inPages((skip, take) => batch(db, f, tz, skip, take)),
  columns,
} as const;
