// Catalogue reads for the shop front. Price and stock live on SKUs: a product shows its lowest
// on-sale SKU price ("from") and the sum of its SKUs' stock. Writes: ./admin.ts (merchant), and
// stock reservations in server/orders.
import type { PrismaClient, Tx } from "@/server/db";
import { parseOptionGroups, type OptionGroup } from "./schema";

type Reader = PrismaClient | Tx;

const skuSummary = { where: { active: true }, select: { priceFen: true, stock: true } } as const;

/** Lowest price and total stock over a product's on-sale SKUs. */
export function summarizeSkus(skus: { priceFen: number; stock: number }[]): { priceFen: number; stock: number } {
  if (!skus.length) return { priceFen: 0, stock: 0 };
  return { priceFen: Math.min(...skus.map((s) => s.priceFen)), stock: skus.reduce((n, s) => n + s.stock, 0) };
}

export async function listCategories(db: Reader) {
  return db.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }] });
}

export async function listProducts(db: Reader, opts: { category?: string; limit?: number; cursor?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const rows = await db.product.findMany({
    where: { active: true, skus: { some: { active: true } }, ...(opts.category ? { category: opts.category } : {}) },
    orderBy: [{ sort: "asc" }, { id: "asc" }],
    take: limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    select: { id: true, name: true, imageUrl: true, category: true, skus: skuSummary },
  });
  const hasMore = rows.length > limit;
  const items = (hasMore ? rows.slice(0, limit) : rows).map(({ skus, ...p }) => ({ ...p, ...summarizeSkus(skus) }));
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
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
}

/** Home-page banners. Static for now; a merchant-editable table can replace this later. */
export function homeBanners(): Banner[] {
  return [
    { id: "refer3", title: "推三返一", subtitle: "邀请 3 位好友下单，你的订单全额返现", href: "/promote", tone: "red" },
    { id: "newcomer", title: "新人专享", subtitle: "注册即可参与分享赚佣金", href: "/login", tone: "orange" },
    { id: "team", title: "三级分销", subtitle: "好友购物，你赚佣金，多邀多得", href: "/promote", tone: "violet" },
  ];
}
