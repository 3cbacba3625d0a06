// The back office's order views (issue 9): search with filters, and one order's full story — lines,
// payment, address (masked unless the role ships and the order needs it), timeline, the buyer's upline chain, and every
// commission and rebate task the order produced with why it has its amount.
import type { Ctx } from "../context";
import { refuse } from "../context";
import { Prisma, type OrderStatus, type RefundRequestStatus } from "../db/generated/client";
import { lookupHash, normalisePhone } from "../auth/crypto";
import { zonedMidnight } from "../clock/time";
import { parseConfig, ratesFor } from "../config/schema";
import { applyBps } from "../money";
import { levelRateBps, MAX_COMMISSION_LEVELS } from "../commission";
import { sponsorAncestors } from "../referral";
import { heldMembers } from "../risk/flags";
import { withActorNames } from "../audit/query";
import { tierConfig } from "../tiers";
import { statusAt } from "../members/status-history";
import { COMMISSION_LABEL, TASK_LABEL, commissionDisplayStatus, taskDisplayStatus } from "../rebate/view";
import { ORDER_STATUS_LABEL } from "./view";
import { refundRefusal } from "./refundable";
import { orderRefundStages, refundProgressOf, refundStateSql, type RefundState } from "../payments/refund-state";
import { REFUND_REQUEST_STATUS_LABEL, reasonLabel } from "../aftersales/view";
import { carrierName } from "./shipping";
import { ORDER_NO_RE } from "./index";
import { cappedTotal, LIST_COUNT_CAP } from "../pagination";
import { staffAddressView } from "./address-privacy";
import { linesSummary } from "./line-summary";

export { maskAddress } from "./address-privacy";

type Reader = Pick<Ctx, "tx" | "config">;

export const ORDER_SORTS = ["createdAt.desc", "createdAt.asc", "paidAt.desc", "paidAt.asc", "goodsFen.desc", "goodsFen.asc"] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

export interface MerchantOrderFilter {
  /** Part of the order number. */
  orderNo?: string;
  /** The buyer's full mobile number: matched through the lookup hash, never by decrypting. */
  phone?: string;
  status?: OrderStatus;
  /** REFUNDED orders whose money is on its way (退款中) or stuck (退款异常), by the shopper's rule (refundProgressOf). */
  refund?: "pending" | "stuck";
  /** Calendar dates (YYYY-MM-DD, merchant time zone), both included. */
  from?: string;
  to?: string;
  /** Part of a product's name, or its exact code. */
  product?: string;
  /** 仅优先发货: only orders whose buyer's tier carried priority shipping when paid (SPEC §7). */
  priority?: boolean;
  sort?: OrderSort;
  page?: number;
  pageSize?: number;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dayStart(date: string, tz: string, plusDays = 0): Date {
  const m = DATE_RE.exec(date);
  if (!m) refuse("INVALID_DATE", `日期格式应为 YYYY-MM-DD: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays));
  return zonedMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), tz);
}

/** A filter's terms but its refund progress, checked and normalised once for both its Prisma and its SQL form. */
function filterTerms(f: MerchantOrderFilter, tz: string) {
  // Order numbers are "FM" and digits: "fm2026…" typed in lower case still finds them.
  const no = f.orderNo?.trim().toUpperCase();
  let phoneHash: string | undefined;
  if (f.phone?.trim()) {
    const phone = normalisePhone(f.phone);
    if (!phone) refuse("INVALID_PHONE", "请输入完整的 11 位手机号");
    phoneHash = lookupHash(phone);
  }
  return {
    // A whole order number (pasted from a shopper's message) is one unique-index lookup; a part of one uses the trigram index.
    orderNo: no ? { value: no, whole: ORDER_NO_RE.test(no) } : undefined,
    phoneHash,
    status: f.status,
    from: f.from ? dayStart(f.from, tz) : undefined,
    until: f.to ? dayStart(f.to, tz, 1) : undefined,
    product: f.product?.trim() || undefined,
    priority: f.priority === true,
  };
}

/** The where clause of a filter but its refund progress (exported for the CSV export and tests). */
export function orderWhere(f: MerchantOrderFilter, tz: string): Prisma.OrderWhereInput {
  const t = filterTerms(f, tz);
  const and: Prisma.OrderWhereInput[] = [];
  if (t.orderNo) and.push({ orderNo: t.orderNo.whole ? t.orderNo.value : { contains: t.orderNo.value } });
  if (t.phoneHash) and.push({ member: { phoneHash: t.phoneHash } });
  if (t.status) and.push({ status: t.status });
  if (t.from) and.push({ createdAt: { gte: t.from } });
  if (t.until) and.push({ createdAt: { lt: t.until } });
  if (t.product) and.push({ lines: { some: { OR: [{ product: { name: { contains: t.product, mode: "insensitive" } } }, { sku: { code: t.product } }] } } });
  if (t.priority) and.push({ priorityShipping: true });
  return and.length ? { AND: and } : {};
}

/** orderWhere as SQL on "Order" o, for the refund filters' query: the same conditions Prisma writes for it. */
function orderWhereSql(f: MerchantOrderFilter, tz: string): Prisma.Sql {
  const t = filterTerms(f, tz);
  const and: Prisma.Sql[] = [Prisma.sql`TRUE`];
  // Unescaped, as Prisma's `contains` sends it: a "_" typed matches as it does for the other statuses.
  if (t.orderNo) and.push(t.orderNo.whole ? Prisma.sql`o."orderNo" = ${t.orderNo.value}` : Prisma.sql`o."orderNo" LIKE '%' || ${t.orderNo.value} || '%'`);
  if (t.phoneHash) and.push(Prisma.sql`EXISTS (SELECT 1 FROM "Member" m WHERE m.id = o."memberId" AND m."phoneHash" = ${t.phoneHash})`);
  if (t.status) and.push(Prisma.sql`o.status = ${t.status}::"OrderStatus"`);
  if (t.from) and.push(Prisma.sql`o."createdAt" >= ${t.from}::timestamptz`);
  if (t.until) and.push(Prisma.sql`o."createdAt" < ${t.until}::timestamptz`);
  if (t.product) {
    and.push(Prisma.sql`EXISTS (SELECT 1 FROM "OrderLine" l JOIN "Product" p ON p.id = l."productId" JOIN "Sku" s ON s.id = l."skuId"
      WHERE l."orderId" = o.id AND (p.name ILIKE '%' || ${t.product} || '%' OR s.code = ${t.product}))`);
  }
  if (t.priority) and.push(Prisma.sql`o."priorityShipping"`);
  return Prisma.join(and, " AND ");
}

/** A filter with a refund filter as one condition on "Order" o. */
const refundFilterSql = (ctx: Reader, f: MerchantOrderFilter, refund: "pending" | "stuck") =>
  Prisma.sql`${orderWhereSql(f, ctx.config.timeZone)} AND ${refundStateSql(refund)}`;

/** How many orders match `where` ("Order" o), up to `cap` when given. */
async function countWhereSql(ctx: Reader, where: Prisma.Sql, cap?: number): Promise<number> {
  const limit = cap === undefined ? Prisma.empty : Prisma.sql`LIMIT ${cap}`;
  const [row] = await ctx.tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM (SELECT 1 FROM "Order" o WHERE ${where} ${limit}) matched`;
  return row!.n;
}

/** How many orders a filter matches, exactly (the CSV export's progress). */
export async function countOrders(ctx: Reader, f: MerchantOrderFilter): Promise<number> {
  return f.refund ? countWhereSql(ctx, refundFilterSql(ctx, f, f.refund)) : ctx.tx.order.count({ where: orderWhere(f, ctx.config.timeZone) });
}

/** The 退款异常 count on the back office's home: REFUNDED orders whose money the provider failed, we gave up sending or never heard confirmed. */
export async function stuckRefundCount(ctx: Reader): Promise<number> {
  return countOrders(ctx, { refund: "stuck" });
}

type SortField = "createdAt" | "paidAt" | "goodsFen";
type Dir = "asc" | "desc";
const sortParts = (sort: OrderSort = "createdAt.desc") => sort.split(".") as [SortField, Dir];

function orderBy(sort?: OrderSort): Prisma.OrderOrderByWithRelationInput[] {
  const [field, dir] = sortParts(sort);
  return field === "paidAt" ? [{ paidAt: { sort: dir, nulls: "last" } }, { id: dir }] : [{ [field]: dir }, { id: dir }];
}

/**
 * 待发货 (PAID) lists the 优先发货 orders first (SPEC §7), each group in the chosen sort: those are the ones to ship first.
 * Other statuses are done shipping, or not yet to ship, so they keep the chosen sort alone.
 */
const priorityFirst = (f: MerchantOrderFilter) => f.status === "PAID" && !f.refund;

const listOrderBy = (f: MerchantOrderFilter): Prisma.OrderOrderByWithRelationInput[] =>
  priorityFirst(f) ? [{ priorityShipping: "desc" }, ...orderBy(f.sort)] : orderBy(f.sort);

const SORT_COLUMN: Record<SortField, Prisma.Sql> = { createdAt: Prisma.sql`o."createdAt"`, paidAt: Prisma.sql`o."paidAt"`, goodsFen: Prisma.sql`o."goodsFen"` };

/** orderBy as SQL on "Order" o. */
function orderBySql(sort?: OrderSort): Prisma.Sql {
  const [field, dir] = sortParts(sort);
  const d = Prisma.raw(dir === "desc" ? "DESC" : "ASC");
  return Prisma.sql`${SORT_COLUMN[field]} ${d}${field === "paidAt" ? Prisma.raw(" NULLS LAST") : Prisma.empty}, o.id ${d}`;
}

/** The ids of the orders matching `where` ("Order" o) in the list's order, `tail` narrowing and paging them. */
async function idsWhereSql(ctx: Reader, where: Prisma.Sql, sort: OrderSort | undefined, tail: { after?: OrderCursor | null; take: number; skip?: number }): Promise<number[]> {
  const after = tail.after ? afterSql(sort, tail.after) : Prisma.sql`TRUE`;
  const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
    SELECT o.id FROM "Order" o WHERE ${where} AND ${after} ORDER BY ${orderBySql(sort)} LIMIT ${tail.take} OFFSET ${tail.skip ?? 0}`;
  return rows.map((r) => r.id);
}

/** Staff read where a REFUNDED order's money stands by the shopper's rule (refundProgressOf): 已退款 only once it is back. */
/** Why an invitee's first order no longer counts (the engine's removedWhy, server/rebate removeInvitee), as a code the page words. */
const REMOVED_REASON: Partial<Record<string, "refunded" | "riskRejected">> = { "first order refunded": "refunded", "risk review rejected": "riskRejected" };

const REFUND_STATE_LABEL: Record<Exclude<RefundState, "done">, string> = { pending: "退款中", stuck: "退款异常" };

const statusLabelOf = (status: OrderStatus, refund: RefundState | null) =>
  status === "REFUNDED" && refund !== null && refund !== "done" ? REFUND_STATE_LABEL[refund] : ORDER_STATUS_LABEL[status];

export function buyerLabel(m: { nickname: string | null; phoneMasked: string | null; username: string }) {
  return m.nickname ?? m.phoneMasked ?? m.username;
}

/** What a row of the orders list (and of its CSV export) reads. */
const LIST_SELECT = {
  id: true, orderNo: true, status: true, goodsFen: true, payableFen: true, creditUsedFen: true, createdAt: true, paidAt: true, shippedAt: true, refundedAt: true, priorityShipping: true,
  member: { select: { id: true, nickname: true, phoneMasked: true, username: true } },
  lines: { select: { qty: true, skuLabel: true, product: { select: { name: true } } }, orderBy: { id: "asc" } },
  shipment: { select: { carrier: true, trackingNo: true } },
  refundRequests: { where: { status: "PENDING" }, select: { id: true } },
} satisfies Prisma.OrderSelect;

type ListRow = Prisma.OrderGetPayload<{ select: typeof LIST_SELECT }>;

function listItem(o: ListRow, refund: RefundState | null) {
  return {
    id: o.id,
    orderNo: o.orderNo,
    status: o.status,
    /** A REFUNDED order's money: `pending` (退款中), `stuck` (退款异常), `done` (已退款); null for other orders. */
    refundState: refund,
    statusLabel: statusLabelOf(o.status, refund),
    goodsFen: o.goodsFen,
    payableFen: o.payableFen,
    creditUsedFen: o.creditUsedFen,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    shippedAt: o.shippedAt,
    buyer: buyerLabel(o.member),
    buyerId: o.member.id,
    summary: linesSummary(o.lines),
    itemCount: o.lines.reduce((n, l) => n + l.qty, 0),
    shipment: o.shipment ? { ...o.shipment, carrierName: carrierName(o.shipment.carrier) } : null,
    refundRequestOpen: o.refundRequests.length > 0,
    /** 优先发货: the buyer's tier carried it when the order was paid (SPEC §7). */
    priorityShipping: o.priorityShipping,
    canShip: o.status === "PAID",
  };
}

export type MerchantOrderItem = ReturnType<typeof listItem>;

/** The list's rows of the given orders, in the given order. */
async function rowsOf(ctx: Reader, ids: number[]): Promise<ListRow[]> {
  const rows = new Map((await ctx.tx.order.findMany({ where: { id: { in: ids } }, select: LIST_SELECT })).map((o) => [o.id, o]));
  return ids.flatMap((id) => rows.get(id) ?? []);
}

/** The rows as the list shows them: the refunded ones' progress read for the whole page at once, nothing read without one. */
async function listItems(ctx: Reader, rows: ListRow[]): Promise<MerchantOrderItem[]> {
  const refunds = await refundProgressOf(ctx.tx, rows.filter((o) => o.status === "REFUNDED"));
  return rows.map((o) => listItem(o, refunds.get(o.id)?.state ?? null));
}

/** 订单管理: one page of orders matching the filter, with the total (up to countCap; `more` past it) for pagination. */
export async function searchOrders(ctx: Reader, f: MerchantOrderFilter = {}, countCap = LIST_COUNT_CAP) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  if (f.refund) {
    const where = refundFilterSql(ctx, f, f.refund);
    const [counted, ids] = await Promise.all([countWhereSql(ctx, where, countCap + 1), idsWhereSql(ctx, where, f.sort, { take: pageSize, skip: (page - 1) * pageSize })]);
    return { ...cappedTotal(counted, countCap), page, pageSize, items: await listItems(ctx, await rowsOf(ctx, ids)) };
  }
  const where = orderWhere(f, ctx.config.timeZone);
  const [counted, rows] = await Promise.all([
    ctx.tx.order.count({ where, take: countCap + 1 }),
    ctx.tx.order.findMany({ where, orderBy: listOrderBy(f), skip: (page - 1) * pageSize, take: pageSize, select: LIST_SELECT }),
  ]);
  return { ...cappedTotal(counted, countCap), page, pageSize, items: await listItems(ctx, rows) };
}

/** Where an export page resumes: the last row of the page before it. */
export type OrderCursor = Pick<MerchantOrderItem, "id" | "createdAt" | "paidAt" | "goodsFen" | "priorityShipping">;
type Seek = { where: Prisma.OrderWhereInput; orderBy: Prisma.OrderOrderByWithRelationInput[] };

/** `field` matched by a filter (the three sort columns take the same filter shapes). */
const on = (field: SortField, filter: Date | number | null | { lt: Date | number } | { gt: Date | number } | { not: null }) => ({ [field]: filter }) as Prisma.OrderWhereInput;

/**
 * The rows after `after` in the list's order, as consecutive index seeks: the cursor's ties (its sort
 * value, ids beyond its id), then the values beyond it; for the payment time, the paid orders, then the
 * unpaid ones (NULLS LAST) by id. Each part bounds the index it walks: no part re-reads rows already
 * exported, however many orders share an amount (an OR of "value beyond, or tie and id beyond" would
 * start at the cursor's value but filter every tie already passed, page after page).
 */
function sortSeeks(sort: OrderSort | undefined, after: OrderCursor | null): Seek[] {
  const [field, dir] = sortParts(sort);
  const beyond = <V extends Date | number>(v: V) => (dir === "desc" ? { lt: v } : { gt: v });
  const byId: Prisma.OrderOrderByWithRelationInput[] = [{ id: dir }];
  const ties = (v: Date | number, id: number): Seek => ({ where: { AND: [on(field, v), { id: beyond(id) }] }, orderBy: byId });
  if (field !== "paidAt") {
    const all: Seek = { where: {}, orderBy: orderBy(sort) };
    return after ? [ties(after[field], after.id), { ...all, where: on(field, beyond(after[field])) }] : [all];
  }
  // No nulls in the paid part, so its NULLS side is the one the ("paidAt" DESC NULLS LAST, id DESC) index gives read either way.
  const paid = (where: Prisma.OrderWhereInput): Seek => ({ where, orderBy: [{ paidAt: { sort: dir, nulls: dir === "desc" ? "last" : "first" } }, { id: dir }] });
  const unpaid = (where: Prisma.OrderWhereInput = {}): Seek => ({ where: { AND: [on("paidAt", null), where] }, orderBy: byId });
  if (!after) return [paid(on("paidAt", { not: null })), unpaid()];
  if (after.paidAt === null) return [unpaid({ id: beyond(after.id) })];
  return [ties(after.paidAt, after.id), paid(on("paidAt", beyond(after.paidAt))), unpaid()];
}

/** sortSeeks, for 待发货 (priorityFirst) within each group: the 优先发货 orders (unless the cursor is past them), then the others. */
function seeks(f: MerchantOrderFilter, after: OrderCursor | null): Seek[] {
  if (!priorityFirst(f)) return sortSeeks(f.sort, after);
  const group = (priority: boolean, from: OrderCursor | null) => sortSeeks(f.sort, from).map((s) => ({ ...s, where: { AND: [{ priorityShipping: priority }, s.where] } }));
  return after && !after.priorityShipping ? group(false, after) : [...group(true, after), ...group(false, null)];
}

/** The rows after `after` in orderBySql's order: its ties by id, then the values beyond it; the unpaid (NULLS LAST) after every paid one. */
function afterSql(sort: OrderSort | undefined, after: OrderCursor): Prisma.Sql {
  const [field, dir] = sortParts(sort);
  const op = Prisma.raw(dir === "desc" ? "<" : ">");
  const value = after[field];
  if (value === null) return Prisma.sql`o."paidAt" IS NULL AND o.id ${op} ${after.id}::int`;
  const beyond = Prisma.sql`(${SORT_COLUMN[field]}, o.id) ${op} (${value instanceof Date ? Prisma.sql`${value}::timestamptz` : Prisma.sql`${value}::int`}, ${after.id}::int)`;
  return field === "paidAt" ? Prisma.sql`(${beyond} OR o."paidAt" IS NULL)` : beyond;
}

/**
 * The orders list's CSV export, one page at a time: up to `take` orders after `after` (the previous page's
 * last row; null to start) in exactly the list's order, rows as the list shows them. Seeks instead of an
 * offset, and no count: a month of a busy shop's orders costs each page the same.
 */
export async function orderExportPage(ctx: Reader, f: MerchantOrderFilter, after: OrderCursor | null, take: number): Promise<MerchantOrderItem[]> {
  if (f.refund) return listItems(ctx, await rowsOf(ctx, await idsWhereSql(ctx, refundFilterSql(ctx, f, f.refund), f.sort, { after, take })));
  const where = orderWhere(f, ctx.config.timeZone);
  const out: ListRow[] = [];
  for (const seek of seeks(f, after)) {
    if (out.length >= take) break;
    out.push(...(await ctx.tx.order.findMany({ where: { AND: [where, seek.where] }, orderBy: seek.orderBy, take: take - out.length, select: LIST_SELECT })));
  }
  return listItems(ctx, out);
}

/**
 * One step of the order's timeline as codes and facts: the back office words it in the viewer's language
 * (app/merchant/orders/[id]/timeline.ts).
 */
export type TimelineEvent = { at: Date } & (
  | { kind: "created" | "delivered" | "completed" | "cancelled" }
  | { kind: "paid"; provider: string | null; providerTxnId: string | null }
  | { kind: "shipped"; carrier: string | null; trackingNo: string | null }
  | { kind: "refund_requested"; reason: string; detail: string | null }
  | { kind: "refund_approved" | "refund_rejected" | "refund_closed" | "refund_pending"; status: RefundRequestStatus; rejectReason: string | null; auto: boolean }
  | { kind: "refunded"; refundNo: string | null; viaProvider: boolean }
  | { kind: "refund_done"; refundNo: string | null }
);

interface CommissionLineBasis {
  product: string;
  category: string;
  baseFen: number;
  rateBps: number;
  bonusBps: number;
  amountFen: number;
  /** "category" when the category overrides the default rates (SPEC §4). */
  rule: "default" | "category";
}


/**
 * Who of an order's parties is held (SPEC §8): its buyer, and the 推三返一 tasks shown with it (the one it anchors, the one
 * it counts for) whose anchor buyer or a current invitee has an open flag.
 */
async function heldParties(ctx: Reader, buyerId: number, orderId: number): Promise<{ buyer: boolean; tasks: Set<number> }> {
  const tasks = await ctx.tx.rebateTask.findMany({
    where: { OR: [{ anchorOrderId: orderId }, { assignments: { some: { orderId } } }] },
    select: { id: true, memberId: true, assignments: { where: { removedAt: null }, select: { inviteeId: true } } },
  });
  const parties = new Map(tasks.map((t) => [t.id, [t.memberId, ...t.assignments.map((a) => a.inviteeId)]]));
  const held = await heldMembers(ctx, [buyerId, ...[...parties.values()].flat()]);
  return { buyer: held.has(buyerId), tasks: new Set(tasks.filter((t) => parties.get(t.id)!.some((id) => held.has(id))).map((t) => t.id)) };
}
/** One order's full story for the back office, or null. `revealAddress`: the role ships, so it sees the address whole while the order needs it. */
export async function merchantOrderDetail(ctx: Reader & { now?: Date }, orderId: number, opts: { revealAddress: boolean }) {
  const o = await ctx.tx.order.findUnique({
    where: { id: orderId },
    include: {
      member: { select: { id: true, nickname: true, phoneMasked: true, username: true, tier: true, frozen: true, createdAt: true, sponsorId: true, deletedAt: true } },
      lines: { include: { product: { select: { id: true, name: true } }, sku: { select: { code: true } } }, orderBy: { id: "asc" } },
      payments: true,
      shipment: true,
      refundRequests: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
      commissions: { orderBy: { level: "asc" }, include: { beneficiary: { select: { id: true, nickname: true, phoneMasked: true, username: true, tier: true } } } },
    },
  });
  if (!o) return null;
  const [calls, refund, audits, uplineRows, anchorTask, assignment, held, categories, tiersAtPayment] = await Promise.all([
    ctx.tx.providerCall.findMany({ where: { orderId }, orderBy: { id: "asc" }, select: { kind: true, status: true, idempotencyNo: true, amountFen: true, attempts: true, doneAt: true, createdAt: true } }),
    orderRefundStages(ctx.tx, o),
    // Payment entries written before every order entry named the order by its number had its id.
    ctx.tx.auditLog.findMany({ where: { target: { in: [`order:${o.orderNo}`, `order:${o.id}`] } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] }).then((rows) => withActorNames(ctx.tx, rows)),
    sponsorAncestors(ctx, o.memberId, 10),
    ctx.tx.rebateTask.findUnique({ where: { anchorOrderId: orderId }, include: { assignments: { orderBy: { assignedAt: "asc" } }, experiment: { select: { id: true, name: true } } } }),
    ctx.tx.rebateAssignment.findUnique({ where: { orderId }, include: { task: { include: { member: { select: { id: true, nickname: true, phoneMasked: true, username: true } } } } } }),
    heldParties(ctx, o.memberId, orderId),
    ctx.tx.category.findMany({ where: { slug: { in: [...new Set(o.lines.map((l) => l.category))] } }, select: { slug: true, name: true } }),
    // Commissions exist only for a paid order: the tier each earner held then, which the engine priced with (tiers rise and fall since, SPEC §7).
    statusAt(ctx, ["TIER"], o.paidAt ? o.commissions.map((c) => c.beneficiaryId) : [], o.paidAt ?? o.createdAt),
  ]);
  const categoryName = new Map(categories.map((c) => [c.slug, c.name]));
  // A refund call's own DONE only says it was sent: staff read where the money stands, as the shopper does.
  const providerCalls = calls.map((c) => ({ ...c, refundStage: refund.stages.get(c.idempotencyNo) ?? null }));
  const uplineMembers = await ctx.tx.member.findMany({
    where: { id: { in: uplineRows.map((u) => u.memberId) } },
    select: { id: true, nickname: true, phoneMasked: true, username: true, tier: true, frozen: true },
  });
  const byId = new Map(uplineMembers.map((m) => [m.id, m]));
  const buyerHeld = held.buyer;
  const payment = o.payments[0] ?? null;

  // The rule version that rewarded the order (server/rules); unversioned orders read the rules in force.
  const version = o.ruleVersionId === null ? null : await ctx.tx.ruleVersion.findUnique({ where: { id: o.ruleVersionId }, select: { version: true, config: true } });
  const rules = version ? parseConfig(version.config) : ctx.config;

  // SPEC §4: floor(lineGoods × (rate + tier bonus) / 10000) per line (a level at 0 stays unpaid), summed, with the order's rule
  // version and the beneficiary's tier at payment; `matches` says whether they still give the recorded amount.
  const commissions = o.commissions.map((c) => {
    // No change since payment (or older data without history): the tier as it stands.
    const tierThen = tiersAtPayment.get(c.beneficiaryId)?.TIER ?? c.beneficiary.tier;
    const bonusBps = tierConfig(rules, tierThen)?.benefits?.commissionBonusBps ?? 0;
    const lines: CommissionLineBasis[] = o.lines.map((l) => {
      const rateBps = ratesFor(rules, l.category)[c.level - 1] ?? 0;
      return {
        product: l.product.name,
        category: l.category,
        baseFen: l.goodsFen,
        rateBps,
        bonusBps,
        amountFen: applyBps(l.goodsFen, levelRateBps(rateBps, bonusBps)),
        rule: rules.commission.categoryRatesBps[l.category] ? "category" : "default",
      };
    });
    const recomputed = lines.reduce((s, l) => s + l.amountFen, 0);
    const history: { status: string; at: Date; note?: string | null }[] = [
      { status: c.status === "FORFEITED" ? "FORFEITED" : "PENDING", at: c.createdAt, note: c.status === "FORFEITED" ? c.forfeitReason : null },
    ];
    if (c.confirmedAt) history.push({ status: "CONFIRMED", at: c.confirmedAt });
    if (c.settledAt) history.push({ status: "SETTLED", at: c.settledAt });
    if (c.voidedAt) history.push({ status: "VOID", at: c.voidedAt, note: c.forfeitReason });
    const shown = commissionDisplayStatus(c.status, buyerHeld);
    return {
      id: c.id,
      level: c.level,
      beneficiary: { id: c.beneficiary.id, name: buyerLabel(c.beneficiary), tier: c.beneficiary.tier },
      amountFen: c.amountFen,
      status: shown,
      statusLabel: COMMISSION_LABEL[shown],
      forfeitReason: c.forfeitReason,
      why: {
        tree: rules.commission.tree,
        baseFen: o.lines.reduce((s, l) => s + l.goodsFen, 0),
        lines,
        recomputedFen: recomputed,
        matches: recomputed === c.amountFen,
      },
      history,
    };
  });

  const task = anchorTask
    ? {
        id: anchorTask.id,
        status: taskDisplayStatus(anchorTask.status, held.tasks.has(anchorTask.id)),
        statusLabel: TASK_LABEL[taskDisplayStatus(anchorTask.status, held.tasks.has(anchorTask.id))],
        n: anchorTask.n,
        percent: anchorTask.percent,
        capFen: anchorTask.capFen,
        payout: anchorTask.payout,
        cashbackFen: anchorTask.cashbackFen,
        // SPEC §5: min(floor(anchorGoods × percent / 100), cap).
        why: { anchorGoodsFen: o.goodsFen, percent: anchorTask.percent, capFen: anchorTask.capFen, cashbackFen: anchorTask.cashbackFen },
        invitees: anchorTask.assignments.filter((a) => !a.removedAt).length,
        deadline: anchorTask.deadline,
        endReason: anchorTask.endReason,
        // The A/B experiment running when the task opened and its buyer's group (issue 11), or null.
        experiment: anchorTask.experiment && anchorTask.variant ? { id: anchorTask.experiment.id, name: anchorTask.experiment.name, variant: anchorTask.variant } : null,
        history: [
          { status: "OPEN", at: anchorTask.createdAt },
          ...(anchorTask.metAt ? [{ status: "MET", at: anchorTask.metAt }] : []),
          ...(anchorTask.confirmedAt ? [{ status: "CONFIRMED", at: anchorTask.confirmedAt }] : []),
          ...(anchorTask.paidAt ? [{ status: "PAID", at: anchorTask.paidAt }] : []),
          ...(anchorTask.endedAt ? [{ status: anchorTask.status, at: anchorTask.endedAt, note: anchorTask.endReason }] : []),
        ],
      }
    : null;
  const countedFor = assignment
    ? {
        taskId: assignment.taskId,
        sponsor: buyerLabel(assignment.task.member),
        sponsorId: assignment.task.member.id,
        taskStatus: taskDisplayStatus(assignment.task.status, held.tasks.has(assignment.taskId)),
        taskStatusLabel: TASK_LABEL[taskDisplayStatus(assignment.task.status, held.tasks.has(assignment.taskId))],
        assignedAt: assignment.assignedAt,
        removedAt: assignment.removedAt,
        removedWhy: assignment.removedWhy,
        // SPEC §5: a removed invitee is out of the task for good; the page says so rather than "counted".
        counted: assignment.removedAt === null,
        removedReason: assignment.removedAt === null ? null : (REMOVED_REASON[assignment.removedWhy ?? ""] ?? ("removed" as const)),
      }
    : null;

  const timeline: TimelineEvent[] = [{ at: o.createdAt, kind: "created" }];
  if (o.paidAt) timeline.push({ at: o.paidAt, kind: "paid", provider: payment?.provider ?? null, providerTxnId: payment?.providerTxnId ?? null });
  if (o.shippedAt) timeline.push({ at: o.shippedAt, kind: "shipped", carrier: o.shipment?.carrier ?? null, trackingNo: o.shipment?.trackingNo ?? null });
  if (o.deliveredAt) timeline.push({ at: o.deliveredAt, kind: "delivered" });
  for (const r of o.refundRequests) {
    timeline.push({ at: r.createdAt, kind: "refund_requested", reason: r.reason, detail: r.detail || null });
    if (r.decidedAt) {
      timeline.push({
        at: r.decidedAt,
        kind: `refund_${r.status.toLowerCase() as Lowercase<RefundRequestStatus>}`,
        status: r.status,
        rejectReason: r.status === "REJECTED" ? r.rejectReason : null,
        auto: r.status !== "REJECTED" && r.resolution === "auto",
      });
    }
  }
  if (o.refundedAt) {
    // Through a provider the money is only back once it confirms (refund-state, as the shopper is told): 发起退款, then 退款成功.
    const viaProvider = refund.stages.size > 0;
    timeline.push({ at: o.refundedAt, kind: "refunded", refundNo: payment?.refundNo ?? null, viaProvider });
    if (viaProvider && refund.progress?.state === "done") timeline.push({ at: refund.progress.doneAt ?? o.refundedAt, kind: "refund_done", refundNo: payment?.refundNo ?? null });
  }
  if (o.completedAt) timeline.push({ at: o.completedAt, kind: "completed" });
  if (o.cancelledAt) timeline.push({ at: o.cancelledAt, kind: "cancelled" });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  const openRequest = o.refundRequests.find((r) => r.status === "PENDING") ?? null;
  const refundState = refund.progress?.state ?? null;
  const address = staffAddressView(o.address, { mayShip: opts.revealAddress, status: o.status, openAfterSale: !!openRequest, buyerDeleted: o.member.deletedAt !== null });
  return {
    id: o.id,
    orderNo: o.orderNo,
    status: o.status,
    /** As in the list: where a REFUNDED order's money stands, null for other orders. */
    refundState,
    statusLabel: statusLabelOf(o.status, refundState),
    goodsFen: o.goodsFen,
    shippingFen: o.shippingFen,
    creditUsedFen: o.creditUsedFen,
    payableFen: o.payableFen,
    createdAt: o.createdAt,
    /** 优先发货: the buyer's tier carried it when the order was paid (SPEC §7). */
    priorityShipping: o.priorityShipping,
    /** The rule version that rewarded it; null before rules were versioned. */
    ruleVersion: version?.version ?? null,
    address: address.address,
    addressMasked: address.masked,
    /** Why it is masked (AddressMaskReason), null when shown whole or absent. */
    addressMaskedWhy: address.why,
    buyer: { id: o.member.id, name: buyerLabel(o.member), phoneMasked: o.member.phoneMasked, tier: o.member.tier, frozen: o.member.frozen, held: buyerHeld, joinedAt: o.member.createdAt },
    lines: o.lines.map((l) => ({ id: l.id, product: l.product.name, sku: l.sku.code, skuLabel: l.skuLabel, category: l.category, categoryName: categoryName.get(l.category) ?? l.category, qty: l.qty, unitPriceFen: l.unitPriceFen, discountFen: l.discountFen, goodsFen: l.goodsFen })),
    payment: payment ? { provider: payment.provider, providerTxnId: payment.providerTxnId, amountFen: payment.amountFen, status: payment.status, paidAt: payment.paidAt, refundNo: payment.refundNo, refundedAt: payment.refundedAt } : null,
    providerCalls,
    shipment: o.shipment ? { carrier: o.shipment.carrier, trackingNo: o.shipment.trackingNo, at: o.shipment.createdAt } : null,
    shippedAt: o.shippedAt,
    timeline,
    audit: audits.map((a) => ({ id: a.id, at: a.createdAt, action: a.action, actorType: a.actorType, actorId: a.actorId, actorName: a.actorDisplayName ?? a.actorName, data: a.data })),
    upline: uplineRows.map((u) => {
      const m = byId.get(u.memberId);
      return {
        depth: u.depth,
        id: u.memberId,
        name: m ? buyerLabel(m) : `#${u.memberId}`,
        phoneMasked: m?.phoneMasked ?? null,
        tier: m?.tier ?? null,
        frozen: m?.frozen ?? false,
        /** Within the commission levels (when the sponsor tree is the commission tree). */
        earnsLevel: ctx.config.commission.tree === "sponsor" && u.depth <= MAX_COMMISSION_LEVELS ? u.depth : null,
      };
    }),
    commissions,
    rebateTask: task,
    countedForTask: countedFor,
    refundRequests: o.refundRequests.map((r) => ({ id: r.id, status: r.status, statusLabel: REFUND_REQUEST_STATUS_LABEL[r.status], reason: r.reason, reasonLabel: reasonLabel(r.reason), detail: r.detail, photos: r.photos, rejectReason: r.rejectReason, resolution: r.resolution, createdAt: r.createdAt, dueAt: r.dueAt, decidedAt: r.decidedAt })),
    openRequestId: openRequest?.id ?? null,
    canShip: o.status === "PAID",
    // What merchantOrder.refund would accept now, under the rules the order was placed under.
    canRefund: refundRefusal(o, rules, ctx.now ?? new Date(), !!openRequest) === null,
  };
}
