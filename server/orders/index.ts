// Order lifecycle (SPEC §1): PENDING_PAYMENT → PAID → SHIPPED → DELIVERED → COMPLETED, plus
// CANCELLED and REFUNDED. Every transition locks the order row and re-checks its status, so a
// repeated or concurrent call changes nothing the second time.
import { randomInt } from "node:crypto";
import type { Ctx } from "../context";
import { Prisma } from "../db";
import { audit, refuse, emit, notify, rulesOfVersion } from "../context";
import { audit as auditStaff, staffActor, type StaffActor } from "../audit";
import { autoDeliverAt, paymentDeadline, returnWindowClosed, returnWindowEnd } from "./deadlines";
import { deliveryTimeAt, refundRefusal } from "./refundable";
import { DAY, localParts, MINUTE, nextLocalMidnight } from "../clock/time";
import { applyBps } from "../money";
import { INT4_MAX } from "../validation";
import { retireDuesSql, scheduleDue, scheduleDuesOfCtes } from "../scheduler/due";
import { createCommissionsForPaidOrder, advanceCommissionsOfOrders, voidCommissionsOfOrders } from "../commission";
import { openRebateTask, assignInvitee, advanceRebateTask, tasksOfOrderSql, voidAnchorTask, removeInvitee, rebateWalletsSql, inviterWalletSql } from "../rebate";
import { recordRiskEvent } from "../risk/flags";
import { recomputeTier, recomputeTierOf, recordCompletedGmv, tierConfig } from "../tiers";
import { fromMerchant } from "../wallet/ledger";
import { parseOptionGroups, skuLabel } from "../catalog/schema";
import { recordEveryoneDistributorsOfPayment, updateDistributorOnPayment } from "../distribution";
import { CREDIT_ONLY, enqueueProviderCall } from "../payments/outbox";
import { recordKpiFact, recordRefundFact, soldPieces } from "../kpi/facts";
import { runningExperimentSql, type RunningExperiment } from "../experiments";
import { addressHash, legacyAddressHash } from "./address-privacy";
import type { OrderModel as OrderRow, OrderLineModel as OrderLineRow } from "../db/generated/models";

export const LARGE_FIRST_ORDER_FEN = 200_000;
export const LARGE_FIRST_ORDER_WINDOW_MS = 10 * MINUTE;
export const REFUND_ABUSE_COUNT = 3;
export const REFUND_ABUSE_WINDOW_MS = 30 * DAY;

export interface OrderLineInput {
  /** The SKU's code (a scenario product's `sku`). */
  sku: string;
  qty: number;
}

export interface CreateOrderInput {
  memberId: number;
  orderNo?: string;
  lines: OrderLineInput[];
  address?: string | null;
  /** What identifies the place for SPEC §8 shared_address (e.g. region + detail without the
   * recipient's name and phone); defaults to the whole address. */
  addressKey?: string | null;
  /** Store credit to spend on this order (fen), at most the goods amount. */
  creditFen?: number;
  /** The checkout page's key: an order already placed with it is returned instead of a second one. */
  clientKey?: string | null;
}

type OrderWithLines = OrderRow & { lines: OrderLineRow[] };

/** What newOrderNo makes: "FM", the day, ten digits (a whole number pasted into a search is one lookup). */
export const ORDER_NO_RE = /^FM\d{18}$/;

/** The day is the merchant's (config timeZone), the one shopper and shop read on the order: 00:30 in Beijing is not yesterday. */
export function newOrderNo(now: Date, timeZone: string): string {
  const { year, month, day } = localParts(now, timeZone);
  const d = `${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}`;
  return `FM${d}${String(randomInt(0, 1e10)).padStart(10, "0")}`;
}

/** Locks the order row and reads it with its lines, in one statement. */
async function lockOrder(ctx: Ctx, orderId: number): Promise<(OrderRow & { lines: OrderLineRow[] }) | null> {
  const rows = await ctx.tx.$queryRaw<(OrderRow & { lines: OrderLineRow[] })[]>`
    SELECT o.*, COALESCE((SELECT json_agg(l ORDER BY l.id) FROM "OrderLine" l WHERE l."orderId" = o.id), '[]'::json) AS lines
    FROM "Order" o WHERE o.id = ${orderId} FOR UPDATE OF o`;
  return rows[0] ?? null;
}

/** The buyer's store credit, their wallet row locked for the rest of the transaction. */
async function lockedCredit(ctx: Ctx, memberId: number): Promise<number> {
  const [w] = await ctx.tx.$queryRaw<{ credit: bigint }[]>`SELECT credit FROM "Wallet" WHERE "memberId" = ${memberId} FOR UPDATE`;
  return Number(w?.credit ?? 0);
}
/** The buyer's order placed with a checkout key, read as lockOrder reads an order. */
/**
 * The order a checkout key already placed, its key locked for the rest of the transaction: a second place with the
 * key waits here for the first to commit and then finds its order (createOrder, and placeOrder before it reads the cart).
 */
export async function placedWithKey(ctx: Ctx, memberId: number, clientKey: string): Promise<OrderWithLines | null> {
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('OrderClientKey'), hashtext(${`${memberId}:${clientKey}`}))`;
  const rows = await ctx.tx.$queryRaw<OrderWithLines[]>`
    SELECT o.*, COALESCE((SELECT json_agg(l ORDER BY l.id) FROM "OrderLine" l WHERE l."orderId" = o.id), '[]'::json) AS lines
    FROM "Order" o WHERE o."memberId" = ${memberId} AND o."clientKey" = ${clientKey}`;
  return rows[0] ?? null;
}

/**
 * Creates an order and reserves its stock atomically; stock never goes below zero. With a clientKey
 * the same checkout placed twice (a double tap, a resent request) gets its first order back.
 */
export async function createOrder(ctx: Ctx, input: CreateOrderInput): Promise<OrderWithLines> {
  if (input.lines.length === 0) refuse("EMPTY_ORDER", "订单没有商品");
  const merged = new Map<string, number>();
  for (const l of input.lines) {
    if (!Number.isSafeInteger(l.qty) || l.qty <= 0) refuse("INVALID_QTY", `数量必须是正整数 (${l.sku})`);
    merged.set(l.sku, (merged.get(l.sku) ?? 0) + l.qty);
  }
  const clientKey = input.clientKey ?? null;
  if (clientKey !== null) {
    // Stock and credit go after it: a second place waits for the first to commit, taking nothing.
    const placed = await placedWithKey(ctx, input.memberId, clientKey);
    if (placed) return placed;
  }
  // Key share, as the order's foreign key takes it anyway: a deletion in progress (FOR UPDATE) is waited for and seen.
  const [buyer] = await ctx.tx.$queryRaw<{ id: number; tier: string; sponsorId: number | null; deleted: boolean }[]>`
    SELECT id, tier::text, "sponsorId", "deletedAt" IS NOT NULL AS deleted FROM "Member" WHERE id = ${input.memberId} FOR KEY SHARE`;
  if (!buyer) refuse("NO_SUCH_MEMBER", "member not found");
  if (buyer.deleted) refuse("ACCOUNT_DELETED", "账号已注销，不能下单");
  const discountBps = tierConfig(ctx.config, buyer.tier)?.benefits?.discountBps ?? 0;

  const lines: { productId: number; skuId: number; skuLabel: string; qty: number; unitPriceFen: number; discountFen: number; goodsFen: number; category: string }[] = [];
  for (const [sku, qty] of [...merged].sort(([a], [b]) => a.localeCompare(b))) {
    // Conditional decrement of the SKU's stock: concurrent buyers can never take it below zero.
    const rows = await ctx.tx.$queryRaw<{ id: number; productId: number; priceFen: number; category: string; options: string[]; optionGroups: unknown }[]>`
      UPDATE "Sku" s SET stock = s.stock - ${qty}
      FROM "Product" p
      WHERE s.code = ${sku} AND s."productId" = p.id AND s.active AND p.active AND s.stock >= ${qty}
      RETURNING s.id, s."productId", s."priceFen", p.category, s.options, p."optionGroups"`;
    const p = rows[0];
    if (!p) {
      const exists = await ctx.tx.sku.findUnique({ where: { code: sku }, include: { product: true } });
      if (!exists || !exists.active || !exists.product.active) refuse("NO_SUCH_PRODUCT", `商品不存在: ${sku}`);
      const label = skuLabel(parseOptionGroups(exists.product.optionGroups), exists.options);
      refuse("OUT_OF_STOCK", `库存不足: ${exists.product.name}${label ? ` (${label})` : ""} 仅剩 ${exists.stock} 件`);
    }
    const gross = p.priceFen * qty;
    const discountFen = applyBps(gross, discountBps);
    lines.push({
      productId: p.productId,
      skuId: p.id,
      skuLabel: skuLabel(parseOptionGroups(p.optionGroups), p.options),
      qty,
      unitPriceFen: p.priceFen,
      discountFen,
      goodsFen: gross - discountFen,
      category: p.category,
    });
  }
  const goodsFen = lines.reduce((s, l) => s + l.goodsFen, 0);
  // The amount columns are int4 (the payable and the credit are at most goodsFen): a larger order is refused, not a database error.
  if (goodsFen > INT4_MAX || lines.some((l) => l.discountFen > INT4_MAX)) refuse("ORDER_TOO_LARGE", "单笔订单金额过大，请分开下单");
  const creditFen = input.creditFen ?? 0;
  if (!Number.isSafeInteger(creditFen) || creditFen < 0) refuse("INVALID_CREDIT", "invalid credit amount");
  if (creditFen > goodsFen) refuse("CREDIT_TOO_LARGE", "抵扣金额不能超过商品金额");
  // The wallet locked first: two checkouts spending the same credit at once get this refusal, not the balance CHECK.
  if (creditFen > 0 && creditFen > (await lockedCredit(ctx, buyer.id))) refuse("INSUFFICIENT_CREDIT", "购物金余额不足");

  const address = input.address?.trim() || null;
  const place = address ? input.addressKey?.trim() || address : null;
  const hash = place ? addressHash(place) : null;
  const col = <K extends keyof (typeof lines)[number]>(k: K) => lines.map((l) => l[k]);
  // The order and its lines (ids in the order given) in one statement, returned as lockOrder reads them;
  // it also reads an order of the buyer's sponsor to the same place (SPEC §8 shared_address; an older order by its
  // unkeyed fingerprint, server/orders/address-privacy.ts) and schedules the payment timeout.
  const paymentTimeout = scheduleDuesOfCtes(ctx, Prisma.sql`SELECT id FROM o`, [{ kind: "ORDER_PAYMENT_TIMEOUT", dueAt: paymentDeadline({ createdAt: ctx.now }, ctx.config) }]);
  const [{ sponsorOrderNo, ...order }] = await ctx.tx.$queryRaw<(OrderWithLines & { sponsorOrderNo: string | null })[]>`
    WITH o AS (
      INSERT INTO "Order" ("orderNo", "memberId", "goodsFen", "shippingFen", "creditUsedFen", "payableFen", address, "addressHash", "createdAt", "ruleVersionId", "clientKey")
      VALUES (${input.orderNo ?? newOrderNo(ctx.now, ctx.config.timeZone)}, ${buyer.id}, ${goodsFen}, 0, ${creditFen}, ${goodsFen - creditFen}, ${address}, ${hash}, ${ctx.now}, ${ctx.ruleVersionId ?? null}::int, ${clientKey})
      RETURNING *
    ), l AS (
      INSERT INTO "OrderLine" ("orderId", "productId", "skuId", "skuLabel", qty, "unitPriceFen", "discountFen", "goodsFen", category)
      SELECT o.id, x."productId", x."skuId", x."skuLabel", x.qty, x."unitPriceFen", x."discountFen", x."goodsFen", x.category
      FROM o, unnest(${col("productId")}::int[], ${col("skuId")}::int[], ${col("skuLabel")}::text[], ${col("qty")}::int[], ${col("unitPriceFen")}::int[],
        ${col("discountFen")}::int[], ${col("goodsFen")}::int[], ${col("category")}::text[]) WITH ORDINALITY
        AS x("productId", "skuId", "skuLabel", qty, "unitPriceFen", "discountFen", "goodsFen", category, n)
      ORDER BY x.n
      RETURNING *
    ), ${paymentTimeout}
    SELECT o.*, (SELECT json_agg(l ORDER BY l.id) FROM l) AS lines,
      (SELECT s."orderNo" FROM "Order" s WHERE s."memberId" = ${buyer.sponsorId}::int AND s."addressHash" IN (o."addressHash", ${place ? legacyAddressHash(place) : null}::text) ORDER BY s.id LIMIT 1) AS "sponsorOrderNo"
    FROM o`;
  if (creditFen > 0) {
    await fromMerchant(ctx, `order:${order.id}:credit`, "credit_redeem", "merchant:credit_redeemed", buyer.id, "credit", -creditFen);
  }

  // SPEC §8 shared_address: the buyer ships to an address their sponsor has ordered to.
  if (sponsorOrderNo !== null && buyer.sponsorId !== null) {
    await recordRiskEvent(ctx, "shared_address", [buyer.sponsorId, buyer.id], [buyer.id], {
      order: order.orderNo,
      sponsorOrder: sponsorOrderNo,
      addressHash: order.addressHash,
    });
  }
  return order;
}

async function restock(ctx: Ctx, lines: { skuId: number; qty: number }[]) {
  for (const l of lines) {
    await ctx.tx.sku.update({ where: { id: l.skuId }, data: { stock: { increment: l.qty } } });
  }
}

async function giveCreditBack(ctx: Ctx, order: { id: number; memberId: number; creditUsedFen: number }, why: string) {
  if (order.creditUsedFen > 0) {
    await fromMerchant(ctx, `order:${order.id}:credit_back:${why}`, "credit_return", "merchant:credit_redeemed", order.memberId, "credit", order.creditUsedFen);
  }
}

/** Cancels an unpaid order (timeout or by the shopper) and releases its stock. */
export async function cancelUnpaidOrder(ctx: Ctx, orderId: number, reason: "timeout" | "shopper"): Promise<boolean> {
  const order = await lockOrder(ctx, orderId);
  if (!order || order.status !== "PENDING_PAYMENT") return false;
  const rules = await rulesOfVersion(ctx, order.ruleVersionId);
  if (reason === "timeout" && ctx.now < paymentDeadline(order, rules)) return false;
  await ctx.tx.order.update({ where: { id: orderId }, data: { status: "CANCELLED", cancelledAt: ctx.now } });
  await restock(ctx, order.lines);
  await giveCreditBack(ctx, order, "cancel");
  // A timed-out order's trades closed already: their provider expiry (time_expire) falls before our deadline.
  if (reason === "shopper") await closeOpenTrades(ctx, orderId);
  await emit(ctx, "order/cancelled", { orderId, reason });
  return true;
}

/**
 * Every trade the shopper opened for the order and never paid is closed at its provider, through the outbox (with the
 * cancel, or not at all); a payment a close cannot stop (Alipay wap.pay creates the trade only when its cashier opens, so a
 * close may answer TRADE_NOT_EXIST) is refunded as a late payment.
 */
async function closeOpenTrades(ctx: Ctx, orderId: number) {
  const open = await ctx.tx.paymentIntent.findMany({
    where: { orderId, status: "CREATED", provider: { not: CREDIT_ONLY } },
    orderBy: { id: "asc" },
    select: { provider: true, reference: true, amountFen: true },
  });
  for (const i of open) await enqueueProviderCall(ctx, { kind: "CLOSE", provider: i.provider, idempotencyNo: i.reference, amountFen: i.amountFen, orderId });
}

export interface PaymentConfirmation {
  orderId: number;
  provider: string;
  providerTxnId: string;
  amountFen: number;
  currency: string;
}

export type PaymentResult = { outcome: "paid" | "duplicate" } | { outcome: "refused"; reason: string };

/**
 * The payment provider confirmed a payment (verified, signed callback). Idempotent: the same
 * confirmation delivered ten times, or concurrently, pays once.
 */
export async function confirmPayment(ctx: Ctx, p: PaymentConfirmation): Promise<PaymentResult> {
  const order = await lockOrder(ctx, p.orderId);
  if (!order) return { outcome: "refused", reason: "no such order" };
  // A payment exists only for an order it moved on from PENDING_PAYMENT: look for one only then.
  if (order.status !== "PENDING_PAYMENT") {
    const prior = await ctx.tx.payment.findFirst({ where: { orderId: order.id } });
    if (prior) {
      return prior.provider === p.provider && prior.providerTxnId === p.providerTxnId
        ? { outcome: "duplicate" }
        : { outcome: "refused", reason: "order already paid by another payment" };
    }
    return { outcome: "refused", reason: `order is ${order.status}` };
  }
  if (p.currency !== order.currency) return { outcome: "refused", reason: `currency ${p.currency} does not match ${order.currency}` };
  if (p.amountFen !== order.payableFen) return { outcome: "refused", reason: `amount ${p.amountFen} does not match ${order.payableFen}` };

  // The rules in force at payment reward the order; its later steps follow the same version.
  const ruleVersionId = ctx.ruleVersionId ?? order.ruleVersionId;
  await onOrderPaid(ctx, { ...order, status: "PAID", paidAt: ctx.now, ruleVersionId }, p);
  return { outcome: "paid" };
}

/** Everything SPEC §4, §5, §7, §8 do when an order becomes PAID (the order as it is now, locked; its payment). */
async function onOrderPaid(ctx: Ctx, order: OrderRow & { lines: OrderLineRow[] }, p: PaymentConfirmation) {
  const paidAt = order.paidAt!;
  // SPEC §4: an earlier `everyone` period's status of the buyer and its upline, stored before the next statement locks the sponsor (server/distribution).
  await recordEveryoneDistributorsOfPayment(ctx, order.memberId);

  // SPEC §7 优先发货: the tiers of the order's rule version (ctx.config unless the order records another) that carry it.
  const priorityTiers = (await rulesOfVersion(ctx, order.ruleVersionId)).tiers.filter((t) => t.benefits?.priorityShipping).map((t) => t.name);

  // One statement: the payment, the order's status and its 优先发货 by the buyer's tier now, its payment timeout retired
  // (retireDuesSql), and qualified directs (SPEC §4: a member with a paid, unrefunded order qualifies their sponsor). The
  // buyer is read from the updated row, so a sponsor change that moved the buyer meanwhile is seen; the
  // sponsor's row returns what its tier needs; the running experiment is read for the 推三返一 task.
  const [buyer] = await ctx.tx.$queryRaw<
    {
      id: number; sponsorId: number | null; firstPaidOrderId: number | null; paidUnrefundedCount: number; createdAt: Date; frozen: boolean; distributorSince: Date | null;
      sponsor: { id: number; tier: string; qualifiedDirects: number; teamSize: number } | null;
      experiment: RunningExperiment | null;
    }[]
  >`WITH pay AS (
      INSERT INTO "Payment" ("orderId", provider, "providerTxnId", "amountFen", currency, "paidAt")
      VALUES (${order.id}, ${p.provider}, ${p.providerTxnId}, ${p.amountFen}, ${p.currency}, ${paidAt})
    ), t AS (${retireDuesSql(paidAt, [{ kind: "ORDER_PAYMENT_TIMEOUT", refId: order.id }])}
    ), b AS (
      UPDATE "Member" SET "paidUnrefundedCount" = "paidUnrefundedCount" + 1, "firstPaidOrderId" = COALESCE("firstPaidOrderId", ${order.id})
      WHERE id = ${order.memberId}
      RETURNING id, "sponsorId", "firstPaidOrderId", "paidUnrefundedCount", "createdAt", frozen, "distributorSince", tier
    ), o AS (
      UPDATE "Order" SET status = 'PAID', "paidAt" = ${paidAt}, "ruleVersionId" = ${order.ruleVersionId}::int,
        "priorityShipping" = b.tier = ANY(${priorityTiers}::text[])
      FROM b WHERE "Order".id = ${order.id}
    ), s AS (
      UPDATE "Member" m SET "qualifiedDirects" = m."qualifiedDirects" + 1 FROM b
      WHERE m.id = b."sponsorId" AND b."paidUnrefundedCount" = 1
      RETURNING m.id, m.tier, m."qualifiedDirects", m."teamSize"
    )
    SELECT b.*, (SELECT json_build_object('id', s.id, 'tier', s.tier, 'qualifiedDirects', s."qualifiedDirects", 'teamSize', s."teamSize") FROM s) AS sponsor,
      ${runningExperimentSql(paidAt)} AS experiment
    FROM b`;
  const isFirst = buyer.firstPaidOrderId === order.id;
  if (buyer.sponsor) await recomputeTierOf(ctx, buyer.sponsor);

  if (isFirst && order.goodsFen >= LARGE_FIRST_ORDER_FEN && paidAt.getTime() - buyer.createdAt.getTime() <= LARGE_FIRST_ORDER_WINDOW_MS) {
    await recordRiskEvent(ctx, "large_first_order", [buyer.id], [buyer.id], { order: order.orderNo, goodsFen: order.goodsFen });
  }

  // SPEC §4 分销资格: counted at each payment, this one included (the order is PAID already).
  await updateDistributorOnPayment(ctx, buyer.id, buyer);
  // The inviter's wallet (推三返一, next) locked with the commissions': in the matrix tree, or forfeiting, the inviter is not among them.
  const inviter = isFirst && buyer.sponsorId !== null ? inviterWalletSql(buyer.sponsorId, paidAt) : undefined;
  await createCommissionsForPaidOrder(ctx, { id: order.id, memberId: buyer.id, lines: order.lines }, inviter);
  // Counted for a task already open even with 推三返一 switched off since: the task keeps the terms it was opened on.
  if (isFirst) await assignInvitee(ctx, buyer, order.id, paidAt);
  await openRebateTask(ctx, { id: order.id, memberId: buyer.id, goodsFen: order.goodsFen, paidAt }, buyer);

  await notify(ctx, buyer.id, "payment", "order.paid", { orderNo: order.orderNo });
  await emit(ctx, "order/paid", { orderId: order.id });
  const referred = buyer.sponsorId !== null;
  await recordKpiFact(ctx, `order_paid:${order.id}`, "order_paid", paidAt, {
    deltas: {
      paidOrders: 1,
      gmvFen: order.goodsFen,
      repeatOrders: isFirst ? 0 : 1,
      referralOrders: referred ? 1 : 0,
      referralGmvFen: referred ? order.goodsFen : 0,
      newPayingMembers: isFirst ? 1 : 0,
      referredNewPaying: isFirst && referred ? 1 : 0,
    },
    sold: soldPieces(order.lines, 1),
  }, buyer.id);
}

export async function shipOrder(ctx: Ctx, orderId: number): Promise<boolean> {
  // The conditional update is the lock and the status check: of two concurrent calls one ships. An order on the
  // rules in force (ctx.config) gets its automatic delivery in the same statement; on other rules, after it.
  const autoDeliver = scheduleDuesOfCtes(ctx, sameRulesSql(ctx), [{ kind: "ORDER_AUTO_DELIVER", dueAt: autoDeliverAt(ctx.now, ctx.config) }]);
  const [order] = await ctx.tx.$queryRaw<Pick<OrderRow, "memberId" | "orderNo" | "ruleVersionId">[]>`
    WITH o AS (
      UPDATE "Order" SET status = 'SHIPPED', "shippedAt" = ${ctx.now} WHERE id = ${orderId} AND status = 'PAID' RETURNING id, "memberId", "orderNo", "ruleVersionId"
    ), ${autoDeliver}
    SELECT "memberId", "orderNo", "ruleVersionId" FROM o`;
  if (!order) return false;
  if (!onCtxRules(ctx, order.ruleVersionId)) {
    await scheduleDue(ctx, "ORDER_AUTO_DELIVER", orderId, autoDeliverAt(ctx.now, await rulesOfVersion(ctx, order.ruleVersionId)));
  }
  await notify(ctx, order.memberId, "shipment", "order.shipped", { orderNo: order.orderNo });
  return true;
}

/** Whether an order's rule version is ctx.config (rulesOfVersion reads nothing for it). */
const onCtxRules = (ctx: Ctx, versionId: number | null) => versionId === null || versionId === ctx.ruleVersionId;

/** The id of the order in CTE `o` (id, "ruleVersionId") when its rules are ctx.config (onCtxRules), as a subquery. */
const sameRulesSql = (ctx: Ctx) => Prisma.sql`SELECT id FROM o WHERE o."ruleVersionId" IS NULL OR o."ruleVersionId" = ${ctx.ruleVersionId ?? null}::int`;

/** DELIVERED: the shopper confirms receipt, or automatically autoDeliverDays after shipping. */
export async function confirmDelivery(ctx: Ctx, orderId: number, auto = false): Promise<boolean> {
  const shipped = await lockOrder(ctx, orderId);
  if (!shipped || shipped.status !== "SHIPPED") return false;
  // Delivered when it fell due, not when the sweep ran (a late sweep must not push the return window and settlement
  // out); a shopper confirming after that moment, before a late sweep, confirms an order already counted as delivered.
  const rules = await rulesOfVersion(ctx, shipped.ruleVersionId);
  if (auto && ctx.now < autoDeliverAt(shipped.shippedAt!, rules)) return false;
  const deliveredAt = deliveryTimeAt(shipped.shippedAt!, rules, ctx.now);
  // The update re-checks the status under the lock. An order on the rules in force (ctx.config) gets its
  // completion in the same statement; on other rules, after it.
  // Confirmed by the shopper: the automatic delivery will have nothing to do, retired once the order is (`o` read first).
  const complete = scheduleDuesOfCtes(ctx, sameRulesSql(ctx), [{ kind: "ORDER_COMPLETE", dueAt: returnWindowEnd(deliveredAt, ctx.config) }]);
  const retire = auto ? Prisma.empty : Prisma.sql`r AS (${retireDuesSql(ctx.now, [{ kind: "ORDER_AUTO_DELIVER", refId: orderId }], Prisma.sql`SELECT id FROM o`)}), `;
  const [order] = await ctx.tx.$queryRaw<Pick<OrderRow, "ruleVersionId">[]>`
    WITH o AS (
      UPDATE "Order" SET status = 'DELIVERED', "deliveredAt" = ${deliveredAt} WHERE id = ${orderId} AND status = 'SHIPPED' RETURNING id, "ruleVersionId"
    ), ${retire}${complete}
    SELECT "ruleVersionId" FROM o`;
  if (!order) return false;
  if (!onCtxRules(ctx, order.ruleVersionId)) {
    await scheduleDue(ctx, "ORDER_COMPLETE", orderId, returnWindowEnd(deliveredAt, await rulesOfVersion(ctx, order.ruleVersionId)));
  }
  return true;
}

/** COMPLETED when the return window closes; confirms commissions and rebate progress. */
export async function completeOrder(ctx: Ctx, orderId: number): Promise<boolean> {
  const order = await lockOrder(ctx, orderId);
  if (!order || order.status !== "DELIVERED") return false;
  const rules = await rulesOfVersion(ctx, order.ruleVersionId);
  if (!returnWindowClosed(order, rules, ctx.now)) return false;
  // An open after-sales request holds completion; its rejection schedules it again (server/aftersales).
  // Completed when it fell due, not when the sweep ran: the window's end, or a rejection that held it past that.
  // The 推三返一 tasks the order touches are read by the same statement. It also takes the buyer's row (key share,
  // after the order's, as before): a sponsor change moving the buyer holds it, and the statements after this one
  // start once it has committed, so they credit the buyer's ancestors after the move and read a hold released meanwhile.
  const [completed] = await ctx.tx.$queryRaw<{ tasks: number[]; completedAt: Date }[]>`
    WITH buyer AS MATERIALIZED (SELECT id FROM "Member" WHERE id = ${order.memberId} FOR SHARE)
    UPDATE "Order" SET status = 'COMPLETED',
      "completedAt" = GREATEST(${returnWindowEnd(order.deliveredAt!, rules)}::timestamptz, (SELECT max("decidedAt") FROM "RefundRequest" WHERE "orderId" = ${orderId}))
    WHERE id = ${orderId} AND EXISTS (SELECT 1 FROM buyer) AND NOT EXISTS (SELECT 1 FROM "RefundRequest" WHERE "openOrderId" = ${orderId})
    RETURNING ${tasksOfOrderSql(orderId)} AS tasks, "completedAt"`;
  if (!completed) return false;
  // Member rows (the buyer's, re-tiered ones) before the tasks, as a payment locks them: after, it deadlocked an invitee's first payment.
  await recordCompletedGmv(ctx, { id: order.id, memberId: order.memberId, goodsFen: order.goodsFen, completedAt: completed.completedAt });
  // Dated at its due time, a late completion settles at once (T+1 passed) and may pay a task's cashback: then the tasks'
  // owners' wallets are locked with the beneficiaries', in member-id order, as a payment takes them.
  const settlesNow = completed.tasks.length > 0 && ctx.now >= nextLocalMidnight(completed.completedAt, rules.timeZone);
  await advanceCommissionsOfOrders(ctx, [orderId], settlesNow ? Prisma.sql`SELECT "memberId" FROM "RebateTask" WHERE id = ANY(${completed.tasks}::int[])` : undefined);
  for (const taskId of new Set(completed.tasks)) await advanceRebateTask(ctx, taskId);
  await emit(ctx, "order/completed", { orderId });
  return true;
}

/**
 * Full refund while PAID, SHIPPED or DELIVERED; never after COMPLETED. Restocks. `decidingRequestId`: the
 * after-sales request whose approval this is (it records its own decision). `byStaff`: the staff member
 * refunding directly, who thereby decides the shopper's open request (null: the system or the shopper).
 */
export async function refundOrder(ctx: Ctx, orderId: number, decidingRequestId: number | null = null, byStaff: StaffActor | null = null): Promise<{ refunded: boolean; reason?: string }> {
  const order = await lockOrder(ctx, orderId);
  if (!order) return { refunded: false, reason: "no such order" };
  const openRequest = await ctx.tx.refundRequest.findUnique({ where: { openOrderId: orderId }, select: { id: true } });
  // The window is the rule, not the completion sweep: past it only a request made in time is still refunded.
  const refusal = refundRefusal(order, await rulesOfVersion(ctx, order.ruleVersionId), ctx.now, openRequest !== null);
  if (refusal) return { refunded: false, reason: refusal };
  await ctx.tx.order.update({ where: { id: orderId }, data: { status: "REFUNDED", refundedAt: ctx.now } });
  // A refund answers the shopper's open request (server/aftersales): never left open to be rejected or to wait 48 h.
  if (openRequest) {
    await ctx.tx.$executeRaw(retireDuesSql(ctx.now, [{ kind: "REFUND_REQUEST_AUTO_APPROVE", refId: openRequest.id }]));
    if (openRequest.id !== decidingRequestId) {
      await ctx.tx.refundRequest.update({
        where: { id: openRequest.id },
        data: { status: "APPROVED", resolution: "already_refunded", decidedAt: ctx.now, decidedById: byStaff?.staffId ?? null, openOrderId: null },
      });
      const closed = { action: "aftersales.closed_by_refund", target: `order:${order.orderNo}`, data: { requestId: openRequest.id } };
      if (byStaff) await auditStaff(ctx.tx, { ...closed, actor: staffActor(byStaff), requestId: byStaff.requestId, now: ctx.now });
      else await audit(ctx, null, closed.action, closed.target, closed.data);
    }
  }
  // Member rows (buyer, then sponsor) before any wallet, as a payment locks them: the credit back and the void lock wallets.
  const buyer = await ctx.tx.member.update({
    where: { id: order.memberId },
    data: { paidUnrefundedCount: { decrement: 1 } },
    select: { id: true, paidUnrefundedCount: true, sponsorId: true, firstPaidOrderId: true },
  });
  if (buyer.paidUnrefundedCount === 0 && buyer.sponsorId) {
    await ctx.tx.member.update({ where: { id: buyer.sponsorId }, data: { qualifiedDirects: { decrement: 1 } } });
    await recomputeTier(ctx, buyer.sponsorId);
  }
  const payments = await ctx.tx.payment.updateManyAndReturn({
    where: { orderId, status: "PAID" },
    data: { status: "REFUNDED", refundedAt: ctx.now, refundNo: `RF${order.id}` },
  });
  // The money goes back through the provider after commit: the request is queued with the refund.
  for (const p of payments) {
    if (p.provider === CREDIT_ONLY || p.amountFen <= 0) continue;
    await enqueueProviderCall(ctx, {
      kind: "REFUND", provider: p.provider, idempotencyNo: p.refundNo!, amountFen: p.amountFen, providerTxnId: p.providerTxnId, orderId,
    });
  }
  // Stock before wallets, as a checkout spending credit locks them.
  await restock(ctx, order.lines);
  // Every wallet it posts to (upline, buyer's credit and task, inviter's task) locked by member id before the credit and any task, as a payment's.
  await voidCommissionsOfOrders(ctx, [orderId], "order refunded", rebateWalletsSql(buyer.id, orderId));
  await giveCreditBack(ctx, order, "refund");
  await voidAnchorTask(ctx, orderId, "anchor order refunded");
  if (buyer.firstPaidOrderId === orderId) await removeInvitee(ctx, buyer.id, "first order refunded");

  // SPEC §8 refund_abuse: a refund that makes 3 or more by one member within 30 days.
  const since = new Date(ctx.now.getTime() - REFUND_ABUSE_WINDOW_MS);
  const recent = await ctx.tx.order.count({ where: { memberId: buyer.id, status: "REFUNDED", refundedAt: { gte: since, lte: ctx.now } } });
  if (recent >= REFUND_ABUSE_COUNT) {
    await recordRiskEvent(ctx, "refund_abuse", [buyer.id], [buyer.id], { order: order.orderNo, refundsIn30Days: recent });
  }
  // Only store credit is back already: a provider's refund runs after commit and may still fail (payments/calls tellShopperRefundFailed).
  const viaProvider = payments.some((p) => p.provider !== CREDIT_ONLY && p.amountFen > 0);
  await notify(ctx, buyer.id, "refund", viaProvider ? "order.refundStarted" : "order.refunded", { orderNo: order.orderNo });
  await emit(ctx, "order/refunded", { orderId });
  await recordRefundFact(ctx, order, buyer);
  return { refunded: true };
}
