// Merchant catalogue rules: categories (with per-category commission rates, SPEC §4), products with
// option groups and one SKU per combination (规格), shelf and sort, stock adjustments with a reason,
// the low-stock list. Every staff change writes its audit entry in the same transaction.
import type { Ctx } from "../context";
import { loadRules, refuse } from "../context";
import { lockRules, saveRuleVersion } from "../rules";
import { audit as writeAudit, staffActor, type StaffActor } from "../audit";
import type { Tx } from "../db";
import { Prisma } from "../db";
import { configSchema, commissionRatesSchema } from "../config/schema";
import { summarizeSkus } from ".";
import {
  optionKey,
  parseOptionGroups,
  skuLabel,
  type OptionGroup,
  type ProductData,
  type MerchantProductSort,
  categoryInputSchema,
  productInputSchema,
  stockAdjustmentSchema,
} from "./schema";
import type { z } from "zod";

type Reader = Pick<Ctx, "tx">;
/** The member of staff acting (null: the system, e.g. the demo seed). */
type Actor = StaffActor | null;

/** One audit entry in the change's own transaction: who, what, before/after, the request. */
async function audit(ctx: Ctx, actor: Actor, action: string, target: string, facts: { before?: unknown; after?: unknown; data?: Record<string, unknown> }) {
  await writeAudit(ctx.tx, { actor: actor ? staffActor(actor) : { type: "system" }, action, target, ...facts, requestId: actor?.requestId ?? null, now: ctx.now });
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002";
}

/** A product with one SKU and no options: what a scenario product (SPEC §10), the demo seed and tests create. */
export async function createSimpleProduct(
  tx: Tx,
  p: { sku: string; name: string; priceFen: number; category: string; stock: number; description?: string; imageUrl?: string | null; sort?: number },
) {
  return tx.product.create({
    data: {
      name: p.name,
      description: p.description ?? "",
      category: p.category,
      imageUrl: p.imageUrl ?? null,
      images: p.imageUrl ? [p.imageUrl] : [],
      sort: p.sort ?? 0,
      skus: { create: [{ code: p.sku, priceFen: p.priceFen, stock: p.stock }] },
    },
    include: { skus: true },
  });
}

// ---------------------------------------------------------------- categories

export async function saveCategory(ctx: Ctx, actor: Actor, raw: z.input<typeof categoryInputSchema>, mode: "create" | "update") {
  const input = categoryInputSchema.parse(raw);
  const before = await ctx.tx.category.findUnique({ where: { slug: input.slug } });
  if (mode === "create" && before) refuse("CATEGORY_EXISTS", `分类标识已存在：${input.slug}`);
  if (mode === "update" && !before) refuse("NO_SUCH_CATEGORY", "分类不存在");
  const after = await ctx.tx.category.upsert({
    where: { slug: input.slug },
    create: { slug: input.slug, name: input.name, sort: input.sort, icon: input.icon },
    update: { name: input.name, sort: input.sort, icon: input.icon },
  });
  await audit(ctx, actor, mode === "create" ? "catalog.category.create" : "catalog.category.update", `category:${input.slug}`, { before, after });
  return after;
}

/** Categories with their product counts and commission rates (null = the default rates apply). */
export async function listCategoriesForMerchant(ctx: Pick<Ctx, "tx" | "config">) {
  const rows = await ctx.tx.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }], include: { _count: { select: { products: true } } } });
  return rows.map(({ _count, ...c }) => ({
    ...c,
    productCount: _count.products,
    ratesBps: ctx.config.commission.categoryRatesBps[c.slug] ?? null,
    defaultRatesBps: ctx.config.commission.ratesBps,
  }));
}

/**
 * Sets (or clears, with null) a category's commission rates: ≤ 3 levels, L1 ≥ L2 ≥ L3 (SPEC §4),
 * validated by the same schema as the merchant configuration, stored in it so the engine and the
 * scenario replay read rates from one place.
 */
export async function setCategoryCommissionRates(ctx: Ctx, actor: Actor, slug: string, rates: number[] | null) {
  const category = await ctx.tx.category.findUnique({ where: { slug } });
  if (!category) refuse("NO_SUCH_CATEGORY", "分类不存在");
  let parsedRates: [number, number, number] | null = null;
  if (rates !== null) {
    const r = commissionRatesSchema.safeParse(rates);
    if (!r.success) refuse("INVALID_RATES", r.error.issues[0]?.message ?? "佣金比例无效");
    parsedRates = r.data;
  }
  // The rates are part of the program rules: a change is a new rule version (server/rules).
  await lockRules(ctx);
  const current = (await loadRules(ctx.tx, ctx.now)).config;
  const categoryRates: Record<string, [number, number, number]> = { ...current.commission.categoryRatesBps };
  const before = categoryRates[slug] ?? null;
  if (parsedRates) categoryRates[slug] = parsedRates;
  else delete categoryRates[slug];
  const next = { ...current, commission: { ...current.commission, categoryRatesBps: categoryRates } };
  const checked = configSchema.safeParse(next);
  if (!checked.success) refuse("INVALID_RATES", checked.error.issues[0]?.message ?? "佣金比例无效");
  if (JSON.stringify(before) !== JSON.stringify(parsedRates)) {
    const saved = await saveRuleVersion(ctx, actor, { config: next, reason: parsedRates ? `分类 ${slug} 佣金比例 ${parsedRates.join("/")} bps` : `分类 ${slug} 恢复默认佣金比例` });
    ctx.config = checked.data;
    ctx.ruleVersionId = saved.id;
  }
  await audit(ctx, actor, "catalog.category.rates", `category:${slug}`, { before: { ratesBps: before }, after: { ratesBps: parsedRates } });
  return { slug, ratesBps: parsedRates };
}

// ---------------------------------------------------------------- products

export interface MerchantProductFilter {
  q?: string;
  category?: string;
  /** "on" = on the shelf, "off" = off it. */
  shelf?: "on" | "off";
  sort?: MerchantProductSort;
  page?: number;
  pageSize?: number;
}

function productWhere(f: MerchantProductFilter): Prisma.ProductWhereInput {
  const q = f.q?.trim();
  return {
    ...(f.category ? { category: f.category } : {}),
    ...(f.shelf ? { active: f.shelf === "on" } : {}),
    ...(q ? { OR: [{ name: { contains: q, mode: "insensitive" } }, { skus: { some: { code: { contains: q, mode: "insensitive" } } } }] } : {}),
  };
}

function productSortParts(sort: MerchantProductSort = "sort.asc") {
  const [key, dir] = sort.split(".") as ["sort" | "createdAt" | "stock" | "price", "asc" | "desc"];
  return { key, dir };
}

export async function listProductsForMerchant(ctx: Reader, f: MerchantProductFilter = {}) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const where = productWhere(f);
  const { key, dir } = productSortParts(f.sort);
  const orderBy: Prisma.ProductOrderByWithRelationInput[] = key === "createdAt" ? [{ createdAt: dir }, { id: dir }] : [{ sort: dir }, { id: dir }];
  const derived = key === "stock" || key === "price";
  const [total, rows] = await Promise.all([
    ctx.tx.product.count({ where }),
    ctx.tx.product.findMany({
      where,
      orderBy,
      ...(derived ? {} : { skip: (page - 1) * pageSize, take: pageSize }),
      select: {
        id: true, name: true, category: true, imageUrl: true, active: true, sort: true, createdAt: true,
        categoryRef: { select: { name: true } },
        skus: { where: { active: true }, select: { id: true, code: true, priceFen: true, stock: true } },
      },
    }),
  ]);
  let items = rows.map(({ skus, categoryRef, ...p }) => ({
    ...p,
    categoryName: categoryRef?.name ?? p.category,
    skuCount: skus.length,
    codes: skus.map((s) => s.code),
    minPriceFen: skus.length ? Math.min(...skus.map((s) => s.priceFen)) : 0,
    maxPriceFen: skus.length ? Math.max(...skus.map((s) => s.priceFen)) : 0,
    stock: summarizeSkus(skus).stock,
  }));
  // Sorting by derived SKU figures happens here (the catalogue of one shop is small).
  if (derived) {
    const sign = dir === "desc" ? -1 : 1;
    items.sort((a, b) => sign * ((key === "stock" ? a.stock - b.stock : a.minPriceFen - b.minPriceFen) || a.id - b.id));
    items = items.slice((page - 1) * pageSize, page * pageSize);
  }
  return { items, total, page, pageSize };
}

export function countProductSkus(ctx: Reader, f: MerchantProductFilter): Promise<number> {
  return ctx.tx.sku.count({ where: { active: true, product: productWhere(f) } });
}

/** The product list's export: one row per on-sale SKU of the filtered products, in the list's order. */
export async function productSkuExportBatch(ctx: Reader, f: MerchantProductFilter, skip: number, take: number) {
  // Stock and price are sums and minimums over SKUs: the file follows the shelf order for those.
  const { key, dir } = productSortParts(f.sort);
  const byProduct: Prisma.SkuOrderByWithRelationInput[] =
    key === "createdAt" ? [{ product: { createdAt: dir } }, { productId: dir }] : key === "sort" ? [{ product: { sort: dir } }, { productId: dir }] : [{ product: { sort: "asc" } }, { productId: "asc" }];
  const rows = await ctx.tx.sku.findMany({
    where: { active: true, product: productWhere(f) },
    orderBy: [...byProduct, { sort: "asc" }, { id: "asc" }],
    skip,
    take,
    include: { product: { select: { id: true, name: true, active: true, sort: true, optionGroups: true, categoryRef: { select: { name: true } }, category: true } } },
  });
  return rows.map((s) => ({
    productId: s.product.id,
    productName: s.product.name,
    categoryName: s.product.categoryRef?.name ?? s.product.category,
    onShelf: s.product.active,
    sort: s.product.sort,
    code: s.code,
    label: skuLabel(parseOptionGroups(s.product.optionGroups), s.options),
    priceFen: s.priceFen,
    stock: s.stock,
  }));
}

/** Everything the product editor needs: the product, its option groups and its on-sale SKUs. */
export async function getProductForMerchant(ctx: Reader, id: number) {
  const p = await ctx.tx.product.findUnique({
    where: { id },
    include: { skus: { where: { active: true }, orderBy: [{ sort: "asc" }, { id: "asc" }] } },
  });
  if (!p) return null;
  const optionGroups = parseOptionGroups(p.optionGroups);
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    category: p.category,
    images: p.images,
    optionGroups,
    active: p.active,
    sort: p.sort,
    skus: p.skus.map((s) => ({ id: s.id, options: s.options, code: s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.stock, imageUrl: s.imageUrl, label: skuLabel(optionGroups, s.options) })),
  };
}

function productSnapshot(p: { name: string; category: string; active: boolean; sort: number; images: string[]; optionGroups: unknown }, skus: { code: string; options: string[]; priceFen: number; stock: number; active: boolean }[]) {
  return {
    name: p.name,
    category: p.category,
    active: p.active,
    sort: p.sort,
    images: p.images,
    optionGroups: p.optionGroups,
    skus: skus.filter((s) => s.active).map((s) => ({ code: s.code, options: s.options, priceFen: s.priceFen, stock: s.stock })),
  };
}

/**
 * Creates (productId null) or updates a product and its SKU matrix. On update a SKU is matched by
 * its option combination: kept (price, code, image updated; stock changed by stock - baseStock, so
 * concurrent orders are not overwritten), created when new, deactivated when its combination is gone
 * (never deleted: order lines point at it).
 */
export async function saveProduct(ctx: Ctx, actor: Actor, productId: number | null, raw: z.input<typeof productInputSchema>) {
  const parsed = productInputSchema.safeParse(raw);
  if (!parsed.success) refuse("INVALID_PRODUCT", parsed.error.issues[0]?.message ?? "商品信息无效");
  const input: ProductData = parsed.data;
  if (!(await ctx.tx.category.findUnique({ where: { slug: input.category } }))) refuse("NO_SUCH_CATEGORY", "分类不存在");
  const groups: OptionGroup[] = input.optionGroups;
  const data = {
    name: input.name,
    description: input.description,
    category: input.category,
    images: input.images,
    imageUrl: input.images[0] ?? null,
    optionGroups: groups as unknown as Prisma.InputJsonValue,
    active: input.active,
    sort: input.sort,
  };
  const codes = input.skus.map((s) => s.code).filter(Boolean);
  const taken = await ctx.tx.sku.findFirst({ where: { code: { in: codes }, productId: { not: productId ?? -1 } }, select: { code: true } });
  if (taken) refuse("SKU_CODE_TAKEN", `SKU 编码已被其他商品使用：${taken.code}`);
  try {
    if (productId === null) {
      const product = await ctx.tx.product.create({ data });
      for (const [i, s] of input.skus.entries()) {
        await ctx.tx.sku.create({
          data: { productId: product.id, code: s.code || `P${product.id}-${i + 1}`, options: s.options, optionKey: optionKey(s.options), priceFen: s.priceFen, stock: s.stock, imageUrl: s.imageUrl, sort: i },
        });
      }
      const skus = await ctx.tx.sku.findMany({ where: { productId: product.id }, orderBy: { sort: "asc" } });
      await audit(ctx, actor, "catalog.product.create", `product:${product.id}`, { after: productSnapshot(product, skus) });
      return { id: product.id };
    }

    await ctx.tx.$queryRaw`SELECT id FROM "Product" WHERE id = ${productId} FOR UPDATE`;
    const before = await ctx.tx.product.findUnique({ where: { id: productId }, include: { skus: true } });
    if (!before) refuse("NO_SUCH_PRODUCT", "商品不存在");
    const existing = new Map(before.skus.map((s) => [s.optionKey, s]));
    const wanted = new Set(input.skus.map((s) => optionKey(s.options)));
    // Deactivate dropped combinations first so their codes can be reused by the new matrix.
    const wantedCodes = new Set(codes);
    for (const s of before.skus) {
      const dropped = !wanted.has(s.optionKey);
      if (dropped && (s.active || wantedCodes.has(s.code))) {
        // A code the new matrix gives to another combination is freed (the old SKU keeps "code.id").
        await ctx.tx.sku.update({ where: { id: s.id }, data: { active: false, ...(wantedCodes.has(s.code) ? { code: `${s.code}.${s.id}` } : {}) } });
      }
    }
    await ctx.tx.product.update({ where: { id: productId }, data });
    for (const [i, s] of input.skus.entries()) {
      const key = optionKey(s.options);
      const old = existing.get(key);
      const code = s.code || old?.code || `P${productId}-${before.skus.length + i + 1}`;
      if (!old) {
        await ctx.tx.sku.create({ data: { productId, code, options: s.options, optionKey: key, priceFen: s.priceFen, stock: s.stock, imageUrl: s.imageUrl, sort: i } });
        continue;
      }
      await ctx.tx.sku.update({ where: { id: old.id }, data: { code, priceFen: s.priceFen, imageUrl: s.imageUrl, sort: i, active: true } });
      const delta = s.stock - (s.baseStock ?? old.stock);
      if (delta !== 0) await applyStockChange(ctx, actor, old.id, delta, "编辑商品");
    }
    const skus = await ctx.tx.sku.findMany({ where: { productId }, orderBy: { sort: "asc" } });
    const after = await ctx.tx.product.findUniqueOrThrow({ where: { id: productId } });
    await audit(ctx, actor, "catalog.product.update", `product:${productId}`, { before: productSnapshot(before, before.skus), after: productSnapshot(after, skus) });
    return { id: productId };
  } catch (e) {
    // Only the code can collide here (combinations are validated): a concurrent save took it.
    if (isUniqueViolation(e)) refuse("SKU_CODE_TAKEN", "SKU 编码已被其他商品使用");
    throw e;
  }
}

/** 上架 / 下架. */
export async function setProductShelf(ctx: Ctx, actor: Actor, productId: number, active: boolean) {
  const before = await ctx.tx.product.findUnique({ where: { id: productId }, select: { active: true } });
  if (!before) refuse("NO_SUCH_PRODUCT", "商品不存在");
  if (before.active === active) return { id: productId, active };
  await ctx.tx.product.update({ where: { id: productId }, data: { active } });
  await audit(ctx, actor, active ? "catalog.product.on_shelf" : "catalog.product.off_shelf", `product:${productId}`, { before, after: { active } });
  return { id: productId, active };
}

export async function setProductSort(ctx: Ctx, actor: Actor, productId: number, sort: number) {
  if (!Number.isSafeInteger(sort) || Math.abs(sort) > 1_000_000) refuse("INVALID_SORT", "排序值无效");
  const before = await ctx.tx.product.findUnique({ where: { id: productId }, select: { sort: true } });
  if (!before) refuse("NO_SUCH_PRODUCT", "商品不存在");
  await ctx.tx.product.update({ where: { id: productId }, data: { sort } });
  await audit(ctx, actor, "catalog.product.sort", `product:${productId}`, { before, after: { sort } });
  return { id: productId, sort };
}

// ---------------------------------------------------------------- stock

/** One atomic stock change that never takes stock below zero, recorded with its reason. */
async function applyStockChange(ctx: Ctx, actor: Actor, skuId: number, delta: number, reason: string) {
  const rows = await ctx.tx.$queryRaw<{ stock: number }[]>`
    UPDATE "Sku" SET stock = stock + ${delta} WHERE id = ${skuId} AND stock + ${delta} >= 0 RETURNING stock`;
  const row = rows[0];
  if (!row) {
    const sku = await ctx.tx.sku.findUnique({ where: { id: skuId }, select: { stock: true } });
    if (!sku) refuse("NO_SUCH_SKU", "SKU 不存在");
    refuse("STOCK_BELOW_ZERO", `库存不足：当前 ${sku.stock} 件，不能减少 ${-delta} 件`);
  }
  await ctx.tx.stockAdjustment.create({ data: { skuId, delta, stockAfter: row.stock, reason, actorId: actor?.staffId ?? null, createdAt: ctx.now } });
  return row.stock;
}

/** 库存调整: + for goods received, − for loss or a count correction; the reason is required and audited. */
export async function adjustStock(ctx: Ctx, actor: Actor, raw: z.input<typeof stockAdjustmentSchema>) {
  const parsed = stockAdjustmentSchema.safeParse(raw);
  if (!parsed.success) refuse("INVALID_ADJUSTMENT", parsed.error.issues[0]?.message ?? "调整无效");
  const { skuId, delta, reason } = parsed.data;
  const sku = await ctx.tx.sku.findUnique({ where: { id: skuId }, select: { code: true, stock: true } });
  if (!sku) refuse("NO_SUCH_SKU", "SKU 不存在");
  const stockAfter = await applyStockChange(ctx, actor, skuId, delta, reason);
  await audit(ctx, actor, "catalog.stock.adjust", `sku:${sku.code}`, { before: { stock: stockAfter - delta }, after: { stock: stockAfter }, data: { delta, reason } });
  return { skuId, stock: stockAfter };
}

export async function listStockAdjustments(ctx: Reader, opts: { skuId?: number; page?: number; pageSize?: number } = {}) {
  const pageSize = Math.min(Math.max(opts.pageSize ?? 20, 1), 100);
  const page = Math.max(opts.page ?? 1, 1);
  const [total, items] = await Promise.all([countStockAdjustments(ctx, opts), stockAdjustmentRows(ctx, opts, (page - 1) * pageSize, pageSize)]);
  return { total, page, pageSize, items };
}

export function countStockAdjustments(ctx: Reader, opts: { skuId?: number }): Promise<number> {
  return ctx.tx.stockAdjustment.count({ where: opts.skuId ? { skuId: opts.skuId } : {} });
}

/** Stock adjustments, newest first (the history list and its export). */
export async function stockAdjustmentRows(ctx: Reader, opts: { skuId?: number }, skip: number, take: number) {
  const rows = await ctx.tx.stockAdjustment.findMany({
    where: opts.skuId ? { skuId: opts.skuId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip,
    take,
    include: { sku: { select: { code: true, options: true, product: { select: { id: true, name: true, optionGroups: true } } } } },
  });
  return rows.map((r) => ({
    id: r.id,
    skuId: r.skuId,
    code: r.sku.code,
    productId: r.sku.product.id,
    productName: r.sku.product.name,
    label: skuLabel(parseOptionGroups(r.sku.product.optionGroups), r.sku.options),
    delta: r.delta,
    stockAfter: r.stockAfter,
    reason: r.reason,
    actorId: r.actorId,
    createdAt: r.createdAt,
  }));
}

export const DEFAULT_LOW_STOCK = 10;

export function lowStockThreshold(threshold: number | undefined): number {
  return Math.max(0, Math.min(threshold ?? DEFAULT_LOW_STOCK, 1_000_000));
}

const lowStockWhere = (threshold: number): Prisma.SkuWhereInput => ({ active: true, stock: { lte: threshold }, product: { active: true } });

/** On-sale SKUs of on-shelf products at or below the threshold, emptiest first. */
export async function lowStockSkus(ctx: Reader, opts: { threshold?: number; limit?: number } = {}) {
  const threshold = lowStockThreshold(opts.threshold);
  return { threshold, items: await lowStockRows(ctx, threshold, 0, Math.min(Math.max(opts.limit ?? 100, 1), 500)) };
}

export function countLowStock(ctx: Reader, threshold: number): Promise<number> {
  return ctx.tx.sku.count({ where: lowStockWhere(threshold) });
}

/** The low-stock list from `skip` (the page and its export). */
export async function lowStockRows(ctx: Reader, threshold: number, skip: number, take: number) {
  const rows = await ctx.tx.sku.findMany({
    where: lowStockWhere(threshold),
    orderBy: [{ stock: "asc" }, { id: "asc" }],
    skip,
    take,
    include: { product: { select: { id: true, name: true, optionGroups: true, imageUrl: true } } },
  });
  return rows.map((s) => ({
    skuId: s.id,
    code: s.code,
    productId: s.product.id,
    productName: s.product.name,
    imageUrl: s.imageUrl ?? s.product.imageUrl,
    label: skuLabel(parseOptionGroups(s.product.optionGroups), s.options),
    priceFen: s.priceFen,
    stock: s.stock,
  }));
}
