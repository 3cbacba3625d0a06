// Checkout: what the shopper is about to buy (from the cart or "立即购买"), priced the way
// createOrder will price it, then the order itself and the start of its payment.
import type { Db } from "../db";
import type { Ctx } from "../context";
import { DomainError, inTx, refuse } from "../context";
import { applyBps, fenToYuanString } from "../money";
import { INT4_MAX } from "../validation";
import { tierConfig } from "../tiers";
import { walletOf } from "../wallet/ledger";
import { listCart, removeFromCart, MAX_CART_QTY, cartProductOfSku, type CartProduct } from "../cart";
import { getOwnAddress, formatShippingAddress, shippingPlace } from "../members/addresses";
import { createOrder, placedWithKey } from ".";
import { startPayment, type PayingClient } from "../payments";

export type CheckoutSource = { kind: "cart" } | { kind: "buyNow"; sku: string; qty: number };

export interface CheckoutLine {
  productId: number;
  skuId: number;
  /** The SKU's code. */
  sku: string;
  /** The chosen options, "颜色：红；尺码：M" ("" without options). */
  skuLabel: string;
  name: string;
  imageUrl: string | null;
  unitPriceFen: number;
  qty: number;
  grossFen: number;
  discountFen: number;
  goodsFen: number;
  /** Why this line cannot be ordered now (sold out, off the shelf, the order too large), or null. */
  problem: string | null;
}

export interface CheckoutPreview {
  lines: CheckoutLine[];
  grossFen: number;
  discountFen: number;
  /** Goods amount after the tier discount (SPEC §1), what the order will record. */
  goodsFen: number;
  shippingFen: number;
  creditBalanceFen: number;
  /** Most store credit this order can take (see maxCreditFor). */
  creditUsableFen: number;
  tierDiscountBps: number;
  ok: boolean;
}

/** Store credit may cover up to the whole goods amount (a fully covered order is paid by credit). */
export function maxCreditFor(goodsFen: number, creditBalanceFen: number): number {
  return Math.max(0, Math.min(creditBalanceFen, goodsFen));
}

export async function checkoutPreview(ctx: Pick<Ctx, "tx" | "config">, memberId: number, source: CheckoutSource): Promise<CheckoutPreview> {
  const member = await ctx.tx.member.findUnique({ where: { id: memberId }, select: { tier: true } });
  if (!member) refuse("NO_SUCH_MEMBER", "请重新登录");
  const discountBps = tierConfig(ctx.config, member.tier)?.benefits?.discountBps ?? 0;

  let wanted: { product: CartProduct; qty: number }[];
  if (source.kind === "cart") {
    // Only the ticked lines are ordered; the rest stay in the cart.
    const cart = await listCart(ctx, memberId);
    if (cart.items.length && !cart.items.some((i) => i.selected)) refuse("NOTHING_SELECTED", "请选择要结算的商品");
    wanted = cart.items.filter((i) => i.selected).map((i) => ({ product: i.product, qty: i.qty }));
  } else {
    if (!Number.isSafeInteger(source.qty) || source.qty < 1 || source.qty > MAX_CART_QTY) refuse("INVALID_QTY", `数量须为 1 到 ${MAX_CART_QTY} 的整数`);
    const sku = await ctx.tx.sku.findUnique({
      where: { code: source.sku },
      include: { product: { select: { id: true, name: true, imageUrl: true, category: true, active: true, optionGroups: true } } },
    });
    if (!sku || !sku.active || !sku.product.active) refuse("NO_SUCH_PRODUCT", "商品不存在或已下架");
    const product = cartProductOfSku(sku);
    wanted = [{ product, qty: source.qty }];
  }
  if (!wanted.length) refuse("EMPTY_ORDER", "购物车是空的");

  const lines: CheckoutLine[] = wanted.map(({ product: p, qty }) => {
    const grossFen = p.priceFen * qty;
    const discountFen = applyBps(grossFen, discountBps);
    const problem = !p.active ? "商品已下架" : p.stock <= 0 ? "已售罄" : p.stock < qty ? `库存不足，仅剩 ${p.stock} 件` : null;
    return {
      productId: p.id, skuId: p.skuId, sku: p.sku, skuLabel: p.skuLabel, name: p.name, imageUrl: p.imageUrl,
      unitPriceFen: p.priceFen, qty, grossFen, discountFen, goodsFen: grossFen - discountFen, problem,
    };
  });
  const sum = (f: (l: CheckoutLine) => number) => lines.reduce((s, l) => s + f(l), 0);
  const goodsFen = sum((l) => l.goodsFen);
  // createOrder refuses it (ORDER_TOO_LARGE): said on the lines before submit, to be split into smaller orders.
  if (goodsFen > INT4_MAX || lines.some((l) => l.discountFen > INT4_MAX)) for (const l of lines) l.problem ??= "单笔订单金额过大，请分开下单";
  const creditBalanceFen = (await walletOf(ctx, memberId)).credit;
  return {
    lines,
    grossFen: sum((l) => l.grossFen),
    discountFen: sum((l) => l.discountFen),
    goodsFen,
    shippingFen: 0,
    creditBalanceFen,
    creditUsableFen: maxCreditFor(goodsFen, creditBalanceFen),
    tierDiscountBps: discountBps,
    ok: lines.every((l) => !l.problem),
  };
}

export interface PlaceOrderInput {
  memberId: number;
  source: CheckoutSource;
  addressId: number;
  useCredit: boolean;
  /** Public origin of the app, for the provider's notify/return URLs. */
  baseUrl: string;
  /** The shopper's browser (user agent, IP): picks WeChat Pay JSAPI inside WeChat. */
  client?: PayingClient;
  /** The checkout page's key (createOrder's clientKey): placed again, the same order comes back. */
  clientKey?: string;
  /** What the checkout page showed to pay (fen): another amount now (a new price, less credit) is refused for the shopper to confirm. */
  expectedPayableFen?: number;
}

/**
 * Places the order (stock reserved atomically by createOrder; the ordered products leave the cart)
 * and starts its payment. Returns where to send the shopper: the provider's cashier.
 */
export async function placeOrder(db: Db, now: Date, input: PlaceOrderInput) {
  const order = await inTx(db, { now }, async (ctx) => {
    if (input.clientKey) {
      // Before the cart is read: a place resent after the first committed (its answer lost) finds that order here,
      // its lines having left the cart meanwhile.
      const placed = await placedWithKey(ctx, input.memberId, input.clientKey);
      if (placed) return placed;
    }
    const address = await getOwnAddress(ctx, input.memberId, input.addressId);
    const preview = await checkoutPreview(ctx, input.memberId, input.source);
    // Off the shelf since the page showed it: said with the product's name (createOrder's refusal names the SKU's code).
    const gone = preview.lines.find((l) => l.problem === "商品已下架");
    if (gone) {
      const product = `${gone.name}${gone.skuLabel ? `（${gone.skuLabel}）` : ""}`;
      throw new DomainError("PRODUCT_OFF_SHELF", `${product}已下架，请返回购物车删除后再结算`, undefined, { product });
    }
    const creditFen = input.useCredit ? preview.creditUsableFen : 0;
    const created = await createOrder(ctx, {
      memberId: input.memberId,
      lines: preview.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
      address: formatShippingAddress(address),
      addressKey: shippingPlace(address),
      creditFen,
      clientKey: input.clientKey,
    });
    // Priced by createOrder as it took the stock: not what the shopper agreed to, nothing is kept.
    if (input.expectedPayableFen !== undefined && created.payableFen !== input.expectedPayableFen) {
      refuse("PRICE_CHANGED", `订单金额有变化，现应付 ¥${fenToYuanString(created.payableFen)}，请确认后再提交`);
    }
    if (input.source.kind === "cart") await removeFromCart(ctx, input.memberId, preview.lines.map((l) => l.skuId));
    return created;
  });
  if (order.status !== "PENDING_PAYMENT") {
    // Placed before and already paid (by store credit, say) or closed: its result page says which.
    const intent = await db.paymentIntent.findFirst({ where: { orderId: order.id }, orderBy: { id: "desc" }, select: { reference: true } });
    return { orderId: order.id, orderNo: order.orderNo, payableFen: order.payableFen, cashierUrl: `/orders/${order.id}/result`, reference: intent?.reference ?? `credit-${order.id}` };
  }
  const { cashierUrl, reference } = await startPayment(db, { orderId: order.id, memberId: input.memberId, client: input.client, baseUrl: input.baseUrl, now });
  return { orderId: order.id, orderNo: order.orderNo, payableFen: order.payableFen, cashierUrl, reference };
}

/** 去支付 on an unpaid order of the shopper's own, before its payment deadline. */
export async function payExistingOrder(db: Db, now: Date, input: { memberId: number; orderId: number; baseUrl: string; client?: PayingClient }) {
  const order = await db.order.findFirst({ where: { id: input.orderId, memberId: input.memberId } });
  if (!order) refuse("ORDER_NOT_FOUND", "订单不存在");
  // startPayment refuses an order past its payment deadline.
  const { cashierUrl, reference } = await startPayment(db, { orderId: order.id, memberId: input.memberId, client: input.client, baseUrl: input.baseUrl, now });
  return { orderId: order.id, cashierUrl, reference };
}
