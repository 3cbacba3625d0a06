// Read-only catalogue queries for the shop front (the engine owns writes: stock, orders).
import type { PrismaClient } from "@/server/db";

const productCard = { id: true, sku: true, name: true, priceFen: true, imageUrl: true, stock: true, category: true } as const;

export async function listCategories(db: PrismaClient) {
  return db.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }] });
}

export async function listProducts(db: PrismaClient, opts: { category?: string; limit?: number; cursor?: number } = {}) {
  const limit = Math.min(Math.max(opts.limit ?? 20, 1), 100);
  const rows = await db.product.findMany({
    where: { active: true, ...(opts.category ? { category: opts.category } : {}) },
    orderBy: { id: "asc" },
    take: limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    select: productCard,
  });
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}

export async function getCategory(db: PrismaClient, slug: string) {
  return db.category.findUnique({ where: { slug } });
}

export async function getProduct(db: PrismaClient, id: number) {
  const product = await db.product.findFirst({ where: { id, active: true }, include: { categoryRef: true } });
  return product;
}

export async function getProductsByIds(db: PrismaClient, ids: number[]) {
  if (!ids.length) return [];
  return db.product.findMany({ where: { id: { in: ids } }, select: { ...productCard, active: true } });
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
