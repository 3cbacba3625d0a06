// Catalogue reads for the shop front. Price and stock live on SKUs: a product shows its lowest
// on-sale SKU price ("from") and the sum of its SKUs' stock. Writes: ./admin.ts (merchant), and
// stock reservations in server/orders.
import { Prisma, type PrismaClient, type Tx } from "@/server/db";
import { parseOptionGroups, type OptionGroup } from "./schema";
import { refuse } from "@/server/context";
import { intKeysetCursor, parseIntKeysetCursor } from "@/server/pagination";
import { INT4_MAX, INT4_MIN } from "@/server/validation";

type Reader = PrismaClient | Tx;

const skuSummary = { where: { active: true }, select: { priceFen: true, stock: true } } as const;

/** Lowest price and total stock over a product's on-sale SKUs; `priceVaries` when they are not all one price (a card reads ¥x 起). */
export function summarizeSkus(skus: { priceFen: number; stock: number }[]): { priceFen: number; stock: number; priceVaries: boolean } {
  if (!skus.length) return { priceFen: 0, stock: 0, priceVaries: false };
  const priceFen = Math.min(...skus.map((s) => s.priceFen));
  return { priceFen, stock: skus.reduce((n, s) => n + s.stock, 0), priceVaries: skus.some((s) => s.priceFen !== priceFen) };
}

export async function listCategories(db: Reader) {
  return db.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }] });
}

/**
 * On-shelf products with an on-sale SKU in the merchant's order (sort, then id), a page at a time. `cursor` is the
 * previous page's nextCursor (its last product's sort and id): a deep page seeks to it (keyset, no offset), and a
 * product taken off the shelf between pages neither hides nor repeats another.
 */
export async function listProducts(db: Reader, opts: { category?: string; limit?: number; cursor?: string } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const after = opts.cursor === undefined ? null : parseIntKeysetCursor(opts.cursor, 2);
  if (opts.cursor !== undefined && !after) refuse("INVALID_CURSOR", "翻页位置无效，请从第一页重新浏览");
  const page = await db.$queryRaw<{ id: number; sort: number }[]>`
    SELECT p.id, p.sort FROM "Product" p
    WHERE p.active AND EXISTS (SELECT 1 FROM "Sku" s WHERE s."productId" = p.id AND s.active)
      ${opts.category ? Prisma.sql`AND p.category = ${opts.category}` : Prisma.empty}
      ${after ? Prisma.sql`AND (p.sort, p.id) > (${after[0]}::int, ${after[1]}::int)` : Prisma.empty}
    ORDER BY p.sort, p.id
    LIMIT ${limit + 1}`;
  const shown = page.slice(0, limit);
  const rows = await db.product.findMany({ where: { id: { in: shown.map((r) => r.id) } }, select: { id: true, name: true, imageUrl: true, category: true, skus: skuSummary } });
  const byId = new Map(rows.map(({ skus, ...p }) => [p.id, { ...p, ...summarizeSkus(skus) }]));
  const items = shown.flatMap((r) => byId.get(r.id) ?? []);
  const last = shown[shown.length - 1];
  return { items, nextCursor: page.length > limit && last ? intKeysetCursor([last.sort, last.id]) : undefined };
}

export async function getCategory(db: Reader, slug: string) {
  return db.category.findUnique({ where: { slug } });
}

export interface ShopSku {
  id: number;
  code: string;
  options: string[];
  priceFen: number;
  stock: number;
  imageUrl: string | null;
}

/** An on-shelf product with its gallery, option groups and on-sale SKUs (for the SKU picker). */
export async function getProduct(db: Reader, id: number) {
  const product = await db.product.findFirst({
    where: { id, active: true },
    include: {
      categoryRef: true,
      skus: { where: { active: true }, orderBy: [{ sort: "asc" }, { id: "asc" }], select: { id: true, code: true, options: true, priceFen: true, stock: true, imageUrl: true } },
    },
  });
  if (!product || product.skus.length === 0) return null;
  const optionGroups: OptionGroup[] = parseOptionGroups(product.optionGroups);
  const images = product.images.length ? product.images : product.imageUrl ? [product.imageUrl] : [];
  return { ...product, optionGroups, images, skus: product.skus as ShopSku[], ...summarizeSkus(product.skus) };
}

export interface Banner {
  id: string;
  title: string;
  subtitle: string;
  href: string;
  /** Tailwind gradient classes. */
  tone: "red" | "orange" | "violet";
  /** A product banner's picture. */
  imageUrl?: string | null;
  priceFen?: number;
  salesCount?: number;
}

/**
 * Home-page banners: the 推三返一 campaign, then the catalogue's best sellers (most pieces sold in paid
 * orders; the merchant's order breaks ties), so the carousel follows what the shop really sells.
 */
export async function homeBanners(db: Reader): Promise<Banner[]> {
  const best = await searchProducts(db, { sort: "sales", limit: 2 });
  const tones = ["orange", "violet"] as const;
  return [
    { id: "refer3", title: "推三返一", subtitle: "邀请 3 位好友下单，你的订单全额返现", href: "/promote", tone: "red" },
    ...best.map((p, i) => ({
      id: `product-${p.id}`,
      title: p.name,
      subtitle: "",
      href: `/product/${p.id}`,
      tone: tones[i % tones.length]!,
      imageUrl: p.imageUrl,
      priceFen: p.priceFen,
      salesCount: p.salesCount,
    })),
  ];
}

/**
 * Pieces sold per product (已售): the lines of paid, unrefunded orders (SPEC §1 lifecycle), kept in
 * ProductSales by the KPI fold (server/kpi/daily.ts) from each payment's and refund's fact — current to
 * the last fold (every in-process sweep, each Inngest sweep), one row per product whatever the orders.
 */
export async function salesCounts(db: Reader, productIds: number[]): Promise<Map<number, number>> {
  if (!productIds.length) return new Map();
  const rows = await db.productSales.findMany({ where: { productId: { in: productIds } }, select: { productId: true, soldQty: true } });
  return new Map(rows.map((r) => [r.productId, r.soldQty]));
}

export const PRODUCT_SORTS = ["default", "sales", "newest", "price_asc", "price_desc"] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];

/**
 * The words of a search: split on spaces and punctuation (中文 full-width too), at most 5, each at
 * most 20 characters. "西湖 龙井，新茶" → ["西湖", "龙井", "新茶"].
 */
export function searchTerms(q: string): string[] {
  return q
    .split(/[\s\p{P}\p{S}]+/u)
    .filter(Boolean)
    .slice(0, 5)
    .map((w) => Array.from(w).slice(0, 20).join(""));
}

/**
 * Partial Chinese input: when the words as typed match nothing ("龙井绿茶" against "西湖龙井"), the
 * fallback looks for their two-character pieces ("龙井", "井绿", "绿茶") and ranks by pieces matched.
 */
export function bigramsOf(terms: string[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    const chars = Array.from(term);
    if (chars.length < 3) continue;
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}

/** A word in the title or the category's name, matched as Prisma's `contains` (insensitive) does: ILIKE '%' || w || '%'. */
const matchesWord = (w: string) => Prisma.sql`(p.name ILIKE ('%' || ${w} || '%') OR c.name ILIKE ('%' || ${w} || '%'))`;

/** Each sort's first key in SQL; ties fall to relevance, then the merchant's order. */
const SORT_SQL: Record<ProductSort, Prisma.Sql | null> = {
  default: null,
  sales: Prisma.sql`COALESCE(ps."soldQty", 0) DESC`,
  newest: Prisma.sql`p."createdAt" DESC`,
  price_asc: Prisma.sql`(SELECT MIN(s."priceFen") FROM "Sku" s WHERE s."productId" = p.id AND s.active) ASC`,
  price_desc: Prisma.sql`(SELECT MIN(s."priceFen") FROM "Sku" s WHERE s."productId" = p.id AND s.active) DESC`,
};

/** The ids of up to `limit` on-shelf products with an on-sale SKU that `match`, filtered, ranked and cut in SQL. */
async function searchIds(db: Reader, opts: { category?: string; match: Prisma.Sql; relevance: Prisma.Sql | null; sort: ProductSort; limit: number }): Promise<number[]> {
  const order = [SORT_SQL[opts.sort], opts.relevance && Prisma.sql`${opts.relevance} DESC`, Prisma.sql`p.sort ASC`, Prisma.sql`p.id ASC`].filter((o) => o !== null);
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT p.id FROM "Product" p
    LEFT JOIN "Category" c ON c.slug = p.category
    LEFT JOIN "ProductSales" ps ON ps."productId" = p.id
    WHERE p.active AND EXISTS (SELECT 1 FROM "Sku" s WHERE s."productId" = p.id AND s.active)
      ${opts.category ? Prisma.sql`AND p.category = ${opts.category}` : Prisma.empty} AND ${opts.match}
    ORDER BY ${Prisma.join(order, ", ")}
    LIMIT ${opts.limit}`;
  return rows.map((r) => r.id);
}

export interface ShopProductCard {
  id: number;
  name: string;
  imageUrl: string | null;
  category: string;
  priceFen: number;
  stock: number;
  priceVaries: boolean;
  salesCount: number;
  createdAt: Date;
}

/**
 * On-shelf products by title/category words and/or a category, sorted: `sales` (已售, most first),
 * `newest`, `price_asc`/`price_desc` (the "from" price), or the merchant's order. Ties keep the
 * relevance (pieces matched, in the fallback), then the merchant's order. Case-insensitive substring
 * matching (ILIKE), the same on PGlite and PostgreSQL.
 */
export async function searchProducts(db: Reader, opts: { q?: string; category?: string; sort?: ProductSort; limit?: number }): Promise<ShopProductCard[]> {
  const limit = Math.min(Math.max(opts.limit ?? 60, 1), 100);
  const terms = searchTerms(opts.q ?? "");
  const sort = opts.sort ?? "default";
  const query = { category: opts.category, sort, limit };
  // Every word must match; the whole catalogue is searched and only the shown page leaves the database.
  let ids = await searchIds(db, { ...query, match: terms.length ? Prisma.join(terms.map(matchesWord), " AND ") : Prisma.sql`TRUE`, relevance: null });
  if (!ids.length && terms.length) {
    const pieces = bigramsOf(terms);
    if (pieces.length) {
      // Relevance: how many pieces a product matches.
      const hits = Prisma.join(pieces.map((b) => Prisma.sql`(CASE WHEN ${matchesWord(b)} THEN 1 ELSE 0 END)`), " + ");
      ids = await searchIds(db, { ...query, match: Prisma.sql`(${Prisma.join(pieces.map(matchesWord), " OR ")})`, relevance: Prisma.sql`(${hits})` });
    }
  }
  const [rows, sales] = await Promise.all([
    db.product.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, imageUrl: true, category: true, createdAt: true, skus: skuSummary } }),
    salesCounts(db, ids),
  ]);
  const byId = new Map(rows.map(({ skus, ...p }) => [p.id, { ...p, ...summarizeSkus(skus), salesCount: sales.get(p.id) ?? 0 }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Each sort as one ascending integer key (a descending sort negated) so a page can seek past a row value: sales
 * (已售), newest (creation in epoch ms: createdAt is timestamptz(3)), the "from" price; the default a constant.
 */
const SORT_KEY: Record<ProductSort, Prisma.Sql> = {
  default: Prisma.sql`0::bigint`,
  sales: Prisma.sql`-COALESCE(ps."soldQty", 0)::bigint`,
  newest: Prisma.sql`-(EXTRACT(EPOCH FROM p."createdAt") * 1000)::bigint`,
  price_asc: Prisma.sql`(SELECT MIN(s."priceFen") FROM "Sku" s WHERE s."productId" = p.id AND s.active)::bigint`,
  price_desc: Prisma.sql`-(SELECT MIN(s."priceFen") FROM "Sku" s WHERE s."productId" = p.id AND s.active)::bigint`,
};

/** A category page cursor: "<sort>.<key>.<shelf sort>.<id>" of the page's last product (its sort named, so another sort's cursor is refused). */
function parseCategoryCursor(cursor: string, sort: ProductSort): [bigint, number, number] | null {
  const m = /^([a-z_]{1,10})\.(-?\d{1,16})\.(-?\d{1,10})\.(\d{1,10})$/.exec(cursor);
  if (!m || m[1] !== sort) return null;
  const key = Number(m[2]);
  const [shelf, id] = [Number(m[3]), Number(m[4])];
  return Number.isSafeInteger(key) && shelf >= INT4_MIN && shelf <= INT4_MAX && id <= INT4_MAX ? [BigInt(m[2]!), shelf, id] : null;
}

/**
 * A category's on-shelf products in one of the shop's sorts (ties: the merchant's order, then id, as searchProducts
 * orders them), a page at a time by keyset: `cursor` is the previous page's nextCursor, and a bad one (or another
 * sort's) is refused with INVALID_CURSOR.
 */
export async function listCategoryProducts(
  db: Reader,
  opts: { category: string; sort?: ProductSort; limit?: number; cursor?: string },
): Promise<{ items: ShopProductCard[]; nextCursor?: string }> {
  const limit = Math.min(Math.max(opts.limit ?? 40, 1), 100);
  const sort = opts.sort ?? "default";
  const after = opts.cursor === undefined ? null : parseCategoryCursor(opts.cursor, sort);
  if (opts.cursor !== undefined && !after) refuse("INVALID_CURSOR", "翻页位置无效，请从第一页重新浏览");
  const page = await db.$queryRaw<{ id: number; sort: number; key: string }[]>`
    SELECT id, sort, k::text AS key FROM (
      SELECT p.id, p.sort, ${SORT_KEY[sort]} AS k FROM "Product" p
      LEFT JOIN "ProductSales" ps ON ps."productId" = p.id
      WHERE p.active AND p.category = ${opts.category} AND EXISTS (SELECT 1 FROM "Sku" s WHERE s."productId" = p.id AND s.active)
    ) t
    ${after ? Prisma.sql`WHERE (k, sort, id) > (${after[0]}::bigint, ${after[1]}::int, ${after[2]}::int)` : Prisma.empty}
    ORDER BY k, sort, id
    LIMIT ${limit + 1}`;
  const shown = page.slice(0, limit);
  const ids = shown.map((r) => r.id);
  const [rows, sales] = await Promise.all([
    db.product.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, imageUrl: true, category: true, createdAt: true, skus: skuSummary } }),
    salesCounts(db, ids),
  ]);
  const byId = new Map(rows.map(({ skus, ...p }) => [p.id, { ...p, ...summarizeSkus(skus), salesCount: sales.get(p.id) ?? 0 }]));
  const last = shown[shown.length - 1];
  return { items: ids.flatMap((id) => byId.get(id) ?? []), nextCursor: page.length > limit && last ? `${sort}.${last.key}.${last.sort}.${last.id}` : undefined };
}
