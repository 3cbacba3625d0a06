// Shopping cart (rows of CartItem). Not money state: the cart only remembers what a shopper wants;
// prices and stock are re-read at checkout and createOrder reserves stock atomically.
import type { Ctx } from "../context";
import { refuse } from "../context";

export const MAX_CART_QTY = 99;

type Reader = Pick<Ctx, "tx">;

function checkQty(qty: number, min: number) {
  if (!Number.isSafeInteger(qty) || qty < min || qty > MAX_CART_QTY) {
    refuse("INVALID_QTY", min === 0 ? `数量须为 0 到 ${MAX_CART_QTY} 的整数` : `数量须为 1 到 ${MAX_CART_QTY} 的整数`);
  }
}

async function activeProduct(ctx: Reader, productId: number) {
  const product = await ctx.tx.product.findFirst({ where: { id: productId, active: true } });
  if (!product) refuse("NO_SUCH_PRODUCT", "商品不存在或已下架");
  return product;
}

/** Adds qty of a product (merged with what is already in the cart, capped at MAX_CART_QTY). */
export async function addToCart(ctx: Reader, memberId: number, productId: number, qty = 1): Promise<{ qty: number }> {
  checkQty(qty, 1);
  const product = await activeProduct(ctx, productId);
  const existing = await ctx.tx.cartItem.findUnique({ where: { memberId_productId: { memberId, productId } } });
  const next = Math.min((existing?.qty ?? 0) + qty, MAX_CART_QTY);
  if (next > product.stock) refuse("OUT_OF_STOCK", product.stock > 0 ? `库存不足，仅剩 ${product.stock} 件` : "商品已售罄");
  await ctx.tx.cartItem.upsert({
    where: { memberId_productId: { memberId, productId } },
    create: { memberId, productId, qty: next },
    update: { qty: next },
  });
  return { qty: next };
}

/** Sets a line's quantity; 0 removes it. Raising above the stock is refused (lowering never is). */
export async function setCartQty(ctx: Reader, memberId: number, productId: number, qty: number): Promise<{ qty: number }> {
  checkQty(qty, 0);
  if (qty === 0) {
    await ctx.tx.cartItem.deleteMany({ where: { memberId, productId } });
    return { qty: 0 };
  }
  const existing = await ctx.tx.cartItem.findUnique({ where: { memberId_productId: { memberId, productId } } });
  if (!existing) refuse("NOT_IN_CART", "购物车中没有该商品");
  if (qty > existing.qty) {
    const product = await activeProduct(ctx, productId);
    if (qty > product.stock) refuse("OUT_OF_STOCK", `库存不足，仅剩 ${product.stock} 件`);
  }
  await ctx.tx.cartItem.update({ where: { memberId_productId: { memberId, productId } }, data: { qty } });
  return { qty };
}

/** Removes products from the cart (e.g. once ordered). */
export async function removeFromCart(ctx: Reader, memberId: number, productIds: number[]): Promise<void> {
  if (productIds.length) await ctx.tx.cartItem.deleteMany({ where: { memberId, productId: { in: productIds } } });
}

export interface CartLine {
  productId: number;
  qty: number;
  /** Active and enough stock for qty: can be checked out. */
  available: boolean;
  lineFen: number;
  product: { id: number; sku: string; name: string; priceFen: number; imageUrl: string | null; stock: number; category: string; active: boolean };
}

/** The cart with integer-fen totals; only available lines count towards the total. */
export async function listCart(ctx: Reader, memberId: number): Promise<{ items: CartLine[]; totalFen: number; count: number }> {
  const rows = await ctx.tx.cartItem.findMany({ where: { memberId }, orderBy: [{ updatedAt: "desc" }, { productId: "asc" }] });
  const products = new Map(
    (
      await ctx.tx.product.findMany({
        where: { id: { in: rows.map((r) => r.productId) } },
        select: { id: true, sku: true, name: true, priceFen: true, imageUrl: true, stock: true, category: true, active: true },
      })
    ).map((p) => [p.id, p]),
  );
  const items: CartLine[] = rows.flatMap((r) => {
    const product = products.get(r.productId);
    if (!product) return [];
    const available = product.active && product.stock >= r.qty;
    return [{ productId: r.productId, qty: r.qty, available, lineFen: product.priceFen * r.qty, product }];
  });
  const totalFen = items.reduce((sum, i) => (i.available ? sum + i.lineFen : sum), 0);
  return { items, totalFen, count: items.reduce((n, i) => n + i.qty, 0) };
}

export async function cartCount(ctx: Reader, memberId: number): Promise<number> {
  const agg = await ctx.tx.cartItem.aggregate({ where: { memberId }, _sum: { qty: true } });
  return agg._sum.qty ?? 0;
}
