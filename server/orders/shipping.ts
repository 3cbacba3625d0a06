// Shipping (发货) with carrier and tracking number: one order at a time, or a CSV of many. A CSV is
// all or nothing — every row is checked first and reported with its line number, and the orders are
// shipped in one transaction, so a bad row (or a concurrent change) leaves every order as it was.
import Papa from "papaparse";
import type { Ctx } from "../context";
import { refuse } from "../context";
import { audit, staffActor, type StaffActor } from "../audit";
import { shipOrder } from ".";
import { createT } from "@/lib/i18n/core";
import { MESSAGES } from "@/lib/i18n/messages";
import { orderStatusLabel } from "@/lib/i18n/labels";
import { SHIP_CARRIERS, TRACKING_RE } from "./shipping-schema";
import { EXCEL_SCIENTIFIC_RE } from "./shipping-csv";

/** Carriers merchants ship with, by code: the ship form's list (client-safe, server/orders/shipping-schema.ts); their names are order.carrier.<code> in the catalogues. */
export const CARRIER_CODES = SHIP_CARRIERS;
export type CarrierCode = (typeof CARRIER_CODES)[number];

const zh = createT("zh-CN", MESSAGES["zh-CN"]);
const en = createT("en", MESSAGES.en);

/** A carrier's Chinese name (the engine's text, e.g. what a row read without the catalogue shows); an unknown code as it is. */
export function carrierName(code: string): string {
  return zh.opt(`order.carrier.${code}`, code);
}

/** A code ("sf"), a name ("顺丰速运"), a short name ("顺丰") or the English console's name ("SF Express", any case) → the code; null if unknown. */
export function carrierCode(input: string): CarrierCode | null {
  const s = input.trim();
  if (!s) return null;
  const up = s.toUpperCase();
  if ((CARRIER_CODES as readonly string[]).includes(up)) return up as CarrierCode;
  for (const code of CARRIER_CODES) {
    const name = carrierName(code);
    if (name === s || name.startsWith(s) || s.startsWith(name.slice(0, 2))) return code;
    if (en(`order.carrier.${code}`).toUpperCase() === up) return code;
  }
  return null;
}

export const MAX_CSV_ROWS = 2000;
export const MAX_CSV_BYTES = 512 * 1024;

export interface ShipInput {
  orderId: number;
  carrier: string;
  trackingNo: string;
}

/** Who shipped: a member of staff. */
export type Shipper = StaffActor;

/**
 * Every problem of a carrier and tracking number, the carrier's first (an unknown 菜鸟 with a 3-character number is
 * two problems, both told at once: the merchant fixes the row once); none → the clean shipment.
 */
export function checkShipment(carrier: string, trackingNo: string): { ok: true; carrier: CarrierCode; trackingNo: string } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const code = carrierCode(carrier);
  if (!code) problems.push(`未知的物流公司：${carrier || "（空）"}`);
  const t = trackingNo.trim();
  if (EXCEL_SCIENTIFIC_RE.test(t)) problems.push("运单号被 Excel 转成了科学计数法，请把运单号列设为文本后重新保存");
  else if (!TRACKING_RE.test(t)) problems.push(`运单号格式不正确：${t || "（空）"}`);
  return code && problems.length === 0 ? { ok: true, carrier: code, trackingNo: t.toUpperCase() } : { ok: false, problems };
}

function cleanShipment(carrier: string, trackingNo: string): { carrier: CarrierCode; trackingNo: string } | string {
  const checked = checkShipment(carrier, trackingNo);
  return checked.ok ? { carrier: checked.carrier, trackingNo: checked.trackingNo } : checked.problems[0]!;
}

async function shipOne(ctx: Ctx, actor: Shipper, orderId: number, carrier: CarrierCode, trackingNo: string, via: "single" | "csv") {
  const order = await ctx.tx.order.findUnique({ where: { id: orderId }, select: { orderNo: true, status: true } });
  if (!order) refuse("ORDER_NOT_FOUND", "订单不存在");
  if (!(await shipOrder(ctx, orderId))) refuse("NOT_SHIPPABLE", `订单 ${order.orderNo} 不是待发货状态`);
  await ctx.tx.shipment.create({ data: { orderId, carrier, trackingNo, shippedById: actor.staffId, createdAt: ctx.now } });
  await audit(ctx.tx, {
    actor: staffActor(actor),
    action: "order.ship",
    target: `order:${order.orderNo}`,
    before: { status: order.status },
    after: { status: "SHIPPED", carrier, trackingNo },
    data: { via },
    requestId: actor.requestId,
    now: ctx.now,
  });
  return order.orderNo;
}

/** 发货: a PAID order with its carrier and tracking number. */
export async function shipWithTracking(ctx: Ctx, actor: Shipper, input: ShipInput) {
  const clean = cleanShipment(input.carrier, input.trackingNo);
  if (typeof clean === "string") refuse("INVALID_SHIPMENT", clean);
  const orderNo = await shipOne(ctx, actor, input.orderId, clean.carrier, clean.trackingNo, "single");
  return { orderNo, carrier: clean.carrier, trackingNo: clean.trackingNo };
}

export interface CsvRowError {
  /** 1-based line in the file (the header is line 1). */
  line: number;
  orderNo: string | null;
  message: string;
}

export type BulkShipResult = { ok: true; shipped: number; orderNos: string[] } | { ok: false; shipped: 0; errors: CsvRowError[] };

/** Column names by their key (see headerKey): the Chinese console's template, the English one's, and common variants. */
const HEADERS: Record<string, "orderNo" | "carrier" | "trackingNo"> = {
  订单号: "orderNo", 订单编号: "orderNo", orderno: "orderNo", ordernumber: "orderNo", order: "orderNo",
  物流公司: "carrier", 快递公司: "carrier", carrier: "carrier", courier: "carrier",
  运单号: "trackingNo", 快递单号: "trackingNo", 物流单号: "trackingNo", trackingno: "trackingNo", trackingnumber: "trackingNo", tracking: "trackingNo",
};

/** "Order no.", "order_no", "Tracking Number" → "orderno", "orderno", "trackingnumber": case, spaces and punctuation aside. */
function headerKey(h: string): string {
  return h.trim().toLowerCase().replace(/[\s._\-:：#]/g, "");
}

/**
 * 批量发货: parses the CSV (header 订单号,物流公司,运单号 or orderNo,carrier,trackingNo) and ships every
 * row in this transaction, or — when any row is wrong — nothing, returning each wrong row's error.
 */
export async function bulkShipFromCsv(ctx: Ctx, actor: Shipper, csv: string): Promise<BulkShipResult> {
  if (Buffer.byteLength(csv, "utf8") > MAX_CSV_BYTES) refuse("CSV_TOO_LARGE", `文件不能超过 ${MAX_CSV_BYTES / 1024} KB`);
  const parsed = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ""), {
    header: true,
    // Empty lines are kept (and skipped below) so a row's index still gives its line in the file.
    skipEmptyLines: false,
    transformHeader: (h) => HEADERS[headerKey(h)] ?? h.trim(),
  });
  const fields = parsed.meta.fields ?? [];
  const missing = (["orderNo", "carrier", "trackingNo"] as const).filter((f) => !fields.includes(f));
  if (missing.length) refuse("CSV_HEADER", "表头应为：订单号,物流公司,运单号");
  const isBlank = (r: Record<string, string>) => Object.values(r).every((v) => typeof v !== "string" || !v.trim());
  const blank = new Set(parsed.data.flatMap((r, i) => (isBlank(r) ? [i] : [])));
  // Papaparse's row index is 0-based after the header: +2 = the line in the file. Order numbers are "FM" and digits:
  // upper-cased as the order search does (orderWhere), so "fm2026…" ships too.
  const rows = parsed.data
    .map((r, i) => ({ line: i + 2, i, orderNo: (r.orderNo ?? "").trim().toUpperCase(), carrier: r.carrier ?? "", trackingNo: r.trackingNo ?? "" }))
    .filter((r) => !blank.has(r.i));
  if (rows.length === 0) refuse("CSV_EMPTY", "文件中没有发货数据");
  if (rows.length > MAX_CSV_ROWS) refuse("CSV_TOO_MANY_ROWS", `一次最多 ${MAX_CSV_ROWS} 行`);

  const errors: CsvRowError[] = [];
  for (const e of parsed.errors) {
    if (e.row !== undefined && !blank.has(e.row)) errors.push({ line: e.row + 2, orderNo: null, message: `CSV 格式错误：${e.message}` });
  }
  // Every problem of a row is reported (its order number, its order, its carrier, its tracking number), each as an
  // error of that line, in that order: the merchant fixes the file once, not once per problem.
  const seen = new Map<string, number>();
  const rowErrors = new Map<number, { order: CsvRowError[]; shipment: CsvRowError[] }>();
  const errorsOf = (line: number) => rowErrors.get(line) ?? rowErrors.set(line, { order: [], shipment: [] }).get(line)!;
  const checked: { line: number; orderNo: string | null; shipment: ReturnType<typeof checkShipment> }[] = [];
  for (const r of rows) {
    let orderNo: string | null = null;
    if (!r.orderNo) errorsOf(r.line).order.push({ line: r.line, orderNo: null, message: "缺少订单号" });
    else {
      const first = seen.get(r.orderNo);
      if (first !== undefined) errorsOf(r.line).order.push({ line: r.line, orderNo: r.orderNo, message: `订单号与第 ${first} 行重复` });
      else {
        seen.set(r.orderNo, r.line);
        orderNo = r.orderNo;
      }
    }
    const shipment = checkShipment(r.carrier, r.trackingNo);
    if (!shipment.ok) for (const message of shipment.problems) errorsOf(r.line).shipment.push({ line: r.line, orderNo: r.orderNo || null, message });
    checked.push({ line: r.line, orderNo, shipment });
  }

  const named = checked.flatMap((c) => (c.orderNo ? [c.orderNo] : []));
  const orders = await ctx.tx.order.findMany({ where: { orderNo: { in: named } }, select: { id: true, orderNo: true, status: true } });
  const byNo = new Map(orders.map((o) => [o.orderNo, o]));
  const valid: { line: number; orderNo: string; carrier: CarrierCode; trackingNo: string }[] = [];
  for (const c of checked) {
    if (!c.orderNo) continue;
    const o = byNo.get(c.orderNo);
    if (!o) errorsOf(c.line).order.push({ line: c.line, orderNo: c.orderNo, message: "订单不存在" });
    // The status in the order list's words (待收货, not 已发货).
    else if (o.status !== "PAID") errorsOf(c.line).order.push({ line: c.line, orderNo: c.orderNo, message: `订单状态为「${orderStatusLabel(zh, o.status)}」，不能发货` });
    else if (c.shipment.ok) valid.push({ line: c.line, orderNo: c.orderNo, carrier: c.shipment.carrier, trackingNo: c.shipment.trackingNo });
  }
  for (const [, e] of rowErrors) errors.push(...e.order, ...e.shipment);
  if (errors.length) return { ok: false, shipped: 0, errors: errors.sort((a, b) => a.line - b.line) };

  // Every row checked: ship them in order. A row that changed meanwhile refuses, and the whole
  // transaction (every row before it) rolls back.
  for (const v of valid) await shipOne(ctx, actor, byNo.get(v.orderNo)!.id, v.carrier, v.trackingNo, "csv");
  return { ok: true, shipped: valid.length, orderNos: valid.map((v) => v.orderNo) };
}
