// Shopping cart (rows of CartItem, one per SKU). Not money state: the cart only remembers what a
// shopper wants; prices and stock are re-read at checkout and createOrder reserves stock atomically.
import type { Ctx } from "../context";
import { refuse } from "../context";
import { parseOptionGroups, skuLabel } from "../catalog/schema";

import { MAX_CART_QTY } from "./limits";

export { MAX_CART_QTY };

type Reader = Pick<Ctx, "tx">;

function checkQty(qty: number, min: number) {
  if (!Number.isSafeInteger(qty) || qty < min || qty > MAX_CART_QTY) {
    refuse("INVALID_QTY", min === 0 ? `数量须为 0 到 ${MAX_CART_QTY} 的整数` : `数量须为 1 到 ${MAX_CART_QTY} 的整数`);
  }
}

async function onSaleSku(ctx: Reader, skuId: number) {
  const sku = await ctx.tx.sku.findFirst({ where: { id: skuId, active: true, product: { active: true } } });
  if (!sku) refuse("NO_SUCH_PRODUCT", "商品不存在或已下架");
  return sku;
}

/** The refusal of more than the stock: a sold-out SKU says so, as addToCart and setCartQty both answer. */
function outOfStock(stock: number): never {
  return refuse("OUT_OF_STOCK", stock > 0 ? `库存不足，仅剩 ${stock} 件` : "商品已售罄");
}

/** Adds qty of a SKU (merged with what is already in the cart, capped at MAX_CART_QTY). */
export async function addToCart(ctx: Reader, memberId: number, skuId: number, qty = 1): Promise<{ qty: number }> {
  checkQty(qty, 1);
  const sku = await onSaleSku(ctx, skuId);
  if (qty > sku.stock) outOfStock(sku.stock);
  // One statement, so two adds at once both count; the stock check is its WHERE (the caller may not be in a transaction to undo a write).
  const rows = await ctx.tx.$queryRaw<{ qty: number }[]>`
    INSERT INTO "CartItem" ("memberId", "skuId", qty, "updatedAt") VALUES (${memberId}, ${skuId}, ${qty}, CURRENT_TIMESTAMP)
    ON CONFLICT ("memberId", "skuId") DO UPDATE SET qty = LEAST("CartItem".qty + ${qty}, ${MAX_CART_QTY}), "updatedAt" = CURRENT_TIMESTAMP
      WHERE LEAST("CartItem".qty + ${qty}, ${MAX_CART_QTY}) <= ${sku.stock}
    RETURNING qty`;
  const row = rows[0] ?? outOfStock(sku.stock);
  return { qty: row.qty };
}

/** Sets a line's quantity; 0 removes it. Raising above the stock is refused (lowering never is). */
export async function setCartQty(ctx: Reader, memberId: number, skuId: number, qty: number): Promise<{ qty: number }> {
  checkQty(qty, 0);
  if (qty === 0) {
    await ctx.tx.cartItem.deleteMany({ where: { memberId, skuId } });
    return { qty: 0 };
  }
  // One statement, so a line removed meanwhile (删除, or ordered in another tab) is simply not found; raising needs the SKU on sale with the stock.
  const rows = await ctx.tx.$queryRaw<{ qty: number }[]>`
    UPDATE "CartItem" c SET qty = ${qty}, "updatedAt" = CURRENT_TIMESTAMP
    WHERE c."memberId" = ${memberId} AND c."skuId" = ${skuId}
      AND (c.qty >= ${qty} OR EXISTS (
        SELECT 1 FROM "Sku" s JOIN "Product" p ON p.id = s."productId" WHERE s.id = c."skuId" AND s.active AND p.active AND s.stock >= ${qty}))
    RETURNING qty`;
  if (rows[0]) return { qty: rows[0].qty };
  const existing = await ctx.tx.cartItem.findUnique({ where: { memberId_skuId: { memberId, skuId } } });
  if (!existing) refuse("NOT_IN_CART", "购物车中没有该商品");
  const sku = await onSaleSku(ctx, skuId);
  outOfStock(sku.stock);
}

/** Ticks or unticks lines for checkout; `"all"` applies to every line of the cart. */
export async function setCartSelection(ctx: Reader, memberId: number, skuIds: number[] | "all", selected: boolean): Promise<{ changed: number }> {
  const where = skuIds === "all" ? { memberId } : { memberId, skuId: { in: skuIds } };
  const { count } = await ctx.tx.cartItem.updateMany({ where, data: { selected } });
  return { changed: count };
}

/** Removes SKUs from the cart (e.g. once ordered, or 删除 in the cart). */
export async function removeFromCart(ctx: Reader, memberId: number, skuIds: number[]): Promise<void> {
  if (skuIds.length) await ctx.tx.cartItem.deleteMany({ where: { memberId, skuId: { in: skuIds } } });
}

export interface CartProduct {
  id: number;
  /** The SKU's code (what orders name). */
  sku: string;
  skuId: number;
  /** "颜色：红；尺码：M", "" without options. */
  skuLabel: string;
  name: string;
  priceFen: number;
  /** The SKU's picture, else the product's cover. */
  imageUrl: string | null;
  stock: number;
  category: string;
  /** On the shelf and the SKU on sale. */
  active: boolean;
}

export interface CartLine {
  productId: number;
  skuId: number;
  qty: number;
  /** Ticked for checkout. */
  selected: boolean;
  /** On sale and enough stock for qty: can be checked out. */
  available: boolean;
  lineFen: number;
  product: CartProduct;
}

export interface CartView {
  items: CartLine[];
  /** Sum of the selected, available lines (what 结算 would order). */
  totalFen: number;
  /** Pieces in the selected, available lines. */
  selectedCount: number;
  /** Pieces in the whole cart. */
  count: number;
}

/** What 结算 takes: the selected lines that can be ordered. */
export const checkoutLines = (items: CartLine[]) => items.filter((i) => i.selected && i.available);

/** The cart with integer-fen totals; only selected, available lines count towards the total. */
export async function listCart(ctx: Reader, memberId: number): Promise<CartView> {
  const rows = await ctx.tx.cartItem.findMany({
    where: { memberId },
    orderBy: [{ updatedAt: "desc" }, { skuId: "asc" }],
    include: { sku: { include: { product: { select: { id: true, name: true, imageUrl: true, category: true, active: true, optionGroups: true } } } } },
  });
  const items: CartLine[] = rows.map((r) => {
    const s = r.sku;
    const product = cartProductOfSku(s);
    const available = product.active && product.stock >= r.qty;
    return { productId: product.id, skuId: s.id, qty: r.qty, selected: r.selected, available, lineFen: product.priceFen * r.qty, product };
  });
  const chosen = checkoutLines(items);
  return {
    items,
    totalFen: chosen.reduce((sum, i) => sum + i.lineFen, 0),
    selectedCount: chosen.reduce((n, i) => n + i.qty, 0),
    count: items.reduce((n, i) => n + i.qty, 0),
  };
}

export async function cartCount(ctx: Reader, memberId: number): Promise<number> {
  const agg = await ctx.tx.cartItem.aggregate({ where: { memberId }, _sum: { qty: true } });
  return agg._sum.qty ?? 0;
}

/** A SKU as the cart and checkout show it (one mapping for both). */
export function cartProductOfSku(s: {
  id: number; code: string; options: unknown; priceFen: number; imageUrl: string | null; stock: number; active: boolean;
  product: { id: number; name: string; optionGroups: unknown; imageUrl: string | null; category: string; active: boolean };
}): CartProduct {
  return {
    id: s.product.id,
    sku: s.code,
    skuId: s.id,
    skuLabel: skuLabel(parseOptionGroups(s.product.optionGroups), s.options as never),
    name: s.product.name,
    priceFen: s.priceFen,
    imageUrl: s.imageUrl ?? s.product.imageUrl,
    stock: s.stock,
    category: s.product.category,
    active: s.active && s.product.active,
  };
}
