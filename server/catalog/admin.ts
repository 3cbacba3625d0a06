// Merchant catalogue rules: categories (with per-category commission rates, SPEC §4), products with
// option groups and one SKU per combination (规格), shelf and sort, stock adjustments with a reason,
// the low-stock list and the stock page's SKU search. Every staff change writes its audit entry in the
// same transaction.
import { createHash } from "node:crypto";
import type { Ctx } from "../context";
import { DomainError, isUniqueViolation, loadRules, refuse } from "../context";
import { forbiddenClaimsIn, forbiddenClaimsMessage } from "../rules/compliance";
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
  skuCodeSchema,
  MAX_STOCK,
} from "./schema";
import type { z } from "zod";
import { seekPage, seeksAfter, type SortDir } from "../exports/keyset";

type Reader = Pick<Ctx, "tx">;
/** The member of staff acting (null: the system, e.g. the demo seed). */
type Actor = StaffActor | null;

/** One audit entry in the change's own transaction: who, what, before/after, the request. */
async function audit(ctx: Ctx, actor: Actor, action: string, target: string, facts: { before?: unknown; after?: unknown; data?: Record<string, unknown> }) {
  await writeAudit(ctx.tx, { actor: actor ? staffActor(actor) : { type: "system" }, action, target, ...facts, requestId: actor?.requestId ?? null, now: ctx.now });
}


/** A product with one SKU and no options: what a scenario product (SPEC §10), the demo seed and tests create. */
export async function createSimpleProduct(
  tx: Tx,
  p: { sku: string; name: string; priceFen: number; category: string; stock: number; description?: string; imageUrl?: string | null; sort?: number },
) {
  // The same guard as a back-office product: the mall's current rules name the configured claims.
  refuseEarningsClaims(await loadRules(tx), `商品（${p.sku}）`, productTexts({ name: p.name, description: p.description ?? "", optionGroups: [] }));
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

// ---------------------------------------------------------------- shopper-visible texts

/** A catalogue text shoppers read, by the form field's path, with the field's name for the message. */
interface ShopperText {
  path: string;
  label: string;
  text: string;
}

/**
 * The compliance guard of campaign texts and the shop profile (seed 004): no product or category text shoppers see may
 * promise earnings (best-seller names reach the home banners too). Every offending field is refused at once.
 */
function refuseEarningsClaims(ctx: Pick<Ctx, "config">, what: string, texts: ShopperText[]) {
  const issues = texts.flatMap(({ path, label, text }) => {
    const hits = forbiddenClaimsIn(text, ctx.config.compliance.forbiddenClaims);
    return hits.length ? [{ path, label, message: forbiddenClaimsMessage(hits), detail: { code: "custom" as const, params: { rule: "forbiddenClaims", words: hits } } }] : [];
  });
  if (!issues.length) return;
  throw new DomainError(
    "CATALOG_FORBIDDEN_CLAIM",
    `${what}未保存：${issues.map((i) => `${i.label}：${i.message}`).join("；")}`,
    issues.map(({ label: _label, ...i }) => i),
  );
}

function productTexts(p: Pick<ProductData, "name" | "description" | "optionGroups">): ShopperText[] {
  return [
    { path: "name", label: "商品标题", text: p.name },
    { path: "description", label: "商品详情", text: p.description },
    // A SKU's options are its groups' values (productInputSchema), so the groups cover every SKU label.
    ...p.optionGroups.flatMap((g, i) => [
      { path: `optionGroups.${i}.name`, label: "规格名", text: g.name },
      ...g.values.map((v, k) => ({ path: `optionGroups.${i}.values.${k}`, label: "规格值", text: v })),
    ]),
  ];
}

// ---------------------------------------------------------------- categories

/** A create never overwrites: of two owners creating one slug at once, the second is told it exists. */
async function createCategory(ctx: Ctx, slug: string, data: { name: string; sort: number; icon: string | null; updatedAt: Date }) {
  try {
    return await ctx.tx.category.create({ data: { slug, ...data } });
  } catch (e) {
    if (isUniqueViolation(e)) refuse("CATEGORY_EXISTS", `分类标识已存在：${slug}`);
    throw e;
  }
}

export const STALE_CATEGORY_MESSAGE = "分类已被他人修改，请刷新后再保存";

/** A category's edit version: its updatedAt, which every save moves forward (nextVersion). */
export function categoryVersion(c: { updatedAt: Date }): string {
  return c.updatedAt.toISOString();
}

/** What the audit entry records of a category (its version is bookkeeping, not a change). */
const categorySnapshot = (c: { slug: string; name: string; sort: number; icon: string | null } | null) => c && { slug: c.slug, name: c.name, sort: c.sort, icon: c.icon };

/**
 * Creates or updates a category. `expectedVersion` (categoryVersion of what the form loaded; the router always sends
 * it on update) refuses a save over a change made since; without it (seed, tests) the save applies to whatever is current.
 */
export async function saveCategory(ctx: Ctx, actor: Actor, raw: z.input<typeof categoryInputSchema>, mode: "create" | "update", expectedVersion?: string) {
  const input = categoryInputSchema.parse(raw);
  // The icon is shown as text when it is not an uploaded image.
  refuseEarningsClaims(ctx, "分类", [
    { path: "name", label: "分类名称", text: input.name },
    ...(input.icon && !input.icon.startsWith("/") ? [{ path: "icon", label: "分类图标", text: input.icon }] : []),
  ]);
  // Checked under the row lock, so of two saves from the same loaded version only the first passes.
  if (mode === "update") await ctx.tx.$queryRaw`SELECT slug FROM "Category" WHERE slug = ${input.slug} FOR UPDATE`;
  const before = await ctx.tx.category.findUnique({ where: { slug: input.slug } });
  if (mode === "create" && before) refuse("CATEGORY_EXISTS", `分类标识已存在：${input.slug}`);
  if (mode === "update" && !before) refuse("NO_SUCH_CATEGORY", "分类不存在");
  if (before && expectedVersion !== undefined && categoryVersion(before) !== expectedVersion) refuse("CATEGORY_STALE", STALE_CATEGORY_MESSAGE);
  const data = { name: input.name, sort: input.sort, icon: input.icon };
  const after = before
    ? await ctx.tx.category.update({ where: { slug: input.slug }, data: { ...data, updatedAt: nextVersion(before.updatedAt, ctx.now) } })
    : await createCategory(ctx, input.slug, { ...data, updatedAt: ctx.now });
  await audit(ctx, actor, mode === "create" ? "catalog.category.create" : "catalog.category.update", `category:${input.slug}`, { before: categorySnapshot(before), after: categorySnapshot(after) });
  return { ...after, version: categoryVersion(after) };
}

/** Categories with their product counts and commission rates (null = the default rates apply). */
export async function listCategoriesForMerchant(ctx: Pick<Ctx, "tx" | "config">) {
  const rows = await ctx.tx.category.findMany({ orderBy: [{ sort: "asc" }, { slug: "asc" }], include: { _count: { select: { products: true } } } });
  return rows.map(({ _count, ...c }) => ({
    ...c,
    /** What the form sends back with its save, so a save over someone else's change is refused. */
    version: categoryVersion(c),
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
  const [key, dir] = sort.split(".") as ["sort" | "createdAt" | "stock" | "price", SortDir];
  return { key, dir };
}

/** productWhere in SQL over "Product" p, matching as Prisma's `contains` does (ILIKE '%' || q || '%', wildcards unescaped), so the count and the page agree. */
function productWhereSql(f: MerchantProductFilter): Prisma.Sql {
  const q = f.q?.trim();
  const parts = [Prisma.sql`TRUE`];
  if (f.category) parts.push(Prisma.sql`p.category = ${f.category}`);
  if (f.shelf) parts.push(Prisma.sql`p.active = ${f.shelf === "on"}`);
  if (q) parts.push(Prisma.sql`(p.name ILIKE ('%' || ${q} || '%') OR EXISTS (SELECT 1 FROM "Sku" c WHERE c."productId" = p.id AND c.code ILIKE ('%' || ${q} || '%')))`);
  return Prisma.join(parts, " AND ");
}

/**
 * The ids of the filtered products by a figure of their on-sale SKUs (total stock, lowest price; 0 without one),
 * id breaking ties, both in the sort's direction: ordered and cut in SQL, so a page reads its own rows only.
 */
async function productIdsByDerived(ctx: Reader, f: MerchantProductFilter, key: "stock" | "price", dir: SortDir, opts: { onSaleOnly: boolean; skip?: number; take?: number }): Promise<number[]> {
  const figure = key === "stock" ? Prisma.sql`SUM(s.stock)` : Prisma.sql`MIN(s."priceFen")`;
  const direction = Prisma.raw(dir === "desc" ? "DESC" : "ASC");
  const page = opts.take === undefined ? Prisma.empty : Prisma.sql`LIMIT ${opts.take} OFFSET ${opts.skip ?? 0}`;
  // A join, not a subquery per product: the planner picks a hash join for the whole catalogue, index lookups for a few products.
  const rows = await ctx.tx.$queryRaw<{ id: number }[]>`
    SELECT p.id FROM "Product" p ${opts.onSaleOnly ? Prisma.empty : Prisma.sql`LEFT`} JOIN "Sku" s ON s."productId" = p.id AND s.active
    WHERE ${productWhereSql(f)}
    GROUP BY p.id
    ORDER BY COALESCE(${figure}, 0) ${direction}, p.id ${direction}
    ${page}`;
  return rows.map((r) => r.id);
}

const MERCHANT_LIST_SELECT = {
  id: true, name: true, category: true, imageUrl: true, active: true, sort: true, createdAt: true,
  categoryRef: { select: { name: true } },
  // In the editor's order (the combinations'), id breaking ties: without an order the database returns them as it finds them.
  skus: { where: { active: true }, orderBy: [{ sort: "asc" }, { id: "asc" }], select: { id: true, code: true, priceFen: true, stock: true } },
} satisfies Prisma.ProductSelect;

export async function listProductsForMerchant(ctx: Reader, f: MerchantProductFilter = {}) {
  const pageSize = Math.min(Math.max(f.pageSize ?? 20, 1), 100);
  const page = Math.max(f.page ?? 1, 1);
  const where = productWhere(f);
  const { key, dir } = productSortParts(f.sort);
  const skip = (page - 1) * pageSize;
  const readPage = async () => {
    if (key === "sort" || key === "createdAt") {
      const orderBy: Prisma.ProductOrderByWithRelationInput[] = key === "createdAt" ? [{ createdAt: dir }, { id: dir }] : [{ sort: dir }, { id: dir }];
      return ctx.tx.product.findMany({ where, orderBy, skip, take: pageSize, select: MERCHANT_LIST_SELECT });
    }
    // Figures of the SKUs, not columns: the page's ids in SQL, then those products.
    const ids = await productIdsByDerived(ctx, f, key, dir, { onSaleOnly: false, skip, take: pageSize });
    const rows = await ctx.tx.product.findMany({ where: { id: { in: ids } }, select: MERCHANT_LIST_SELECT });
    const at = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
  };
  const [total, rows] = await Promise.all([ctx.tx.product.count({ where }), readPage()]);
  const items = rows.map(({ skus, categoryRef, ...p }) => ({
    ...p,
    categoryName: categoryRef?.name ?? p.category,
    skuCount: skus.length,
    codes: skus.map((s) => s.code),
    minPriceFen: skus.length ? Math.min(...skus.map((s) => s.priceFen)) : 0,
    maxPriceFen: skus.length ? Math.max(...skus.map((s) => s.priceFen)) : 0,
    stock: summarizeSkus(skus).stock,
  }));
  return { items, total, page, pageSize };
}

export function countProductSkus(ctx: Reader, f: MerchantProductFilter): Promise<number> {
  return ctx.tx.sku.count({ where: { active: true, product: productWhere(f) } });
}

const SKU_EXPORT_INCLUDE = { product: { select: { id: true, name: true, active: true, sort: true, createdAt: true, optionGroups: true, categoryRef: { select: { name: true } }, category: true } } } satisfies Prisma.SkuInclude;

function productSkuRow(s: Prisma.SkuGetPayload<{ include: typeof SKU_EXPORT_INCLUDE }>) {
  return {
    productId: s.product.id,
    productName: s.product.name,
    categoryName: s.product.categoryRef?.name ?? s.product.category,
    onShelf: s.product.active,
    sort: s.product.sort,
    productCreatedAt: s.product.createdAt,
    skuId: s.id,
    skuSort: s.sort,
    code: s.code,
    label: skuLabel(parseOptionGroups(s.product.optionGroups), s.options),
    priceFen: s.priceFen,
    stock: s.stock,
  };
}

export type ProductSkuRow = ReturnType<typeof productSkuRow>;
/** An on-sale SKU in the export's order: its product's place, then the SKU's own sort and id. */
const SKU_ORDER: Prisma.SkuOrderByWithRelationInput[] = [{ sort: "asc" }, { id: "asc" }];

/**
 * The product list's export, one page at a time: up to `take` on-sale SKUs of the filtered products after
 * `after` (the previous page's last row; null to start), the products in the list's order by shelf sort or
 * creation (id breaking ties), each product's SKUs by their own sort. Keyset, not offset.
 */
export async function productSkuExportPage(ctx: Reader, f: MerchantProductFilter, after: ProductSkuRow | null, take: number): Promise<ProductSkuRow[]> {
  const { key, dir } = productSortParts(f.sort);
  if (key !== "sort" && key !== "createdAt") throw new Error(`productSkuExportPage: ${key} is a derived sort (productExportOrder)`);
  const beyond = <V,>(v: V) => (dir === "desc" ? { lt: v } : { gt: v });
  const value = after && (key === "sort" ? after.sort : after.productCreatedAt);
  // A small table: one query with the three parts of "after the cursor" (the rest of its product, its ties, the values beyond).
  const seek: Prisma.SkuWhereInput = after
    ? {
        OR: [
          { productId: after.productId, OR: [{ sort: { gt: after.skuSort } }, { sort: after.skuSort, id: { gt: after.skuId } }] },
          { product: { [key]: value }, productId: beyond(after.productId) },
          { product: { [key]: beyond(value) } },
        ],
      }
    : {};
  const rows = await ctx.tx.sku.findMany({
    where: { AND: [{ active: true, product: productWhere(f) }, seek] },
    orderBy: [{ product: { [key]: dir } }, { productId: dir }, ...SKU_ORDER],
    take,
    include: SKU_EXPORT_INCLUDE,
  });
  return rows.map(productSkuRow);
}

/**
 * For the sorts by total stock and lowest price (figures of the SKUs, not columns): the ids of the filtered
 * products with an on-sale SKU in the list's order, read once for the whole export; null for the other sorts.
 */
export async function productExportOrder(ctx: Reader, f: MerchantProductFilter): Promise<number[] | null> {
  const { key, dir } = productSortParts(f.sort);
  if (key !== "stock" && key !== "price") return null;
  return productIdsByDerived(ctx, f, key, dir, { onSaleOnly: true });
}

/** The on-sale SKUs of these products, the products in the order given, each product's SKUs by their own sort. */
export async function skusOfProducts(ctx: Reader, productIds: number[]): Promise<ProductSkuRow[]> {
  const at = new Map(productIds.map((id, i) => [id, i]));
  const rows = await ctx.tx.sku.findMany({ where: { active: true, productId: { in: productIds } }, orderBy: SKU_ORDER, include: SKU_EXPORT_INCLUDE });
  // A stable sort: each product's SKUs keep their own order.
  return rows.sort((a, b) => at.get(a.productId)! - at.get(b.productId)!).map(productSkuRow);
}

/** Everything the product editor needs: the product, its option groups and its on-sale SKUs. */
export async function getProductForMerchant(ctx: Reader, id: number) {
  const p = await ctx.tx.product.findUnique({
    where: { id },
    include: { skus: { where: { active: true }, orderBy: [{ sort: "asc" }, { id: "asc" }], include: { _count: { select: { lines: true } } } } },
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
    /** What the editor sends back with its save, so a save over someone else's change is refused. */
    version: productVersion(p),
    skus: p.skus.map((s) => ({ id: s.id, options: s.options, code: s.code, priceFen: s.priceFen, stock: s.stock, baseStock: s.stock, orders: s._count.lines, imageUrl: s.imageUrl, label: skuLabel(optionGroups, s.options) })),
  };
}

/** The stock log's reason when an edit drops a SKU's combination with stock left (the stock goes with it). */
export const SKU_REMOVED_REASON = "规格删除";

export const STALE_PRODUCT_MESSAGE = "商品已被他人修改，请刷新后再保存";

/** A product's edit version: its updatedAt, which every change of the product row moves forward. */
export function productVersion(p: { updatedAt: Date }): string {
  return p.updatedAt.toISOString();
}

/** The next updatedAt: strictly after the last, so two changes in one millisecond (or a clock set back) never share a version. */
function nextVersion(last: Date, now: Date): Date {
  return new Date(Math.max(now.getTime(), last.getTime() + 1));
}

/** Locks the product row: edits, shelf and sort changes of one product run one after another. */
async function lockProduct(ctx: Ctx, productId: number) {
  await ctx.tx.$queryRaw`SELECT id FROM "Product" WHERE id = ${productId} FOR UPDATE`;
}

/** Generated codes "P{id}-{n}": n above every numeric suffix with that prefix (any product, or typed in this save), so always free. */
async function skuCodeAllocator(ctx: Ctx, productId: number, reserved: string[]) {
  const prefix = `P${productId}-`;
  const used = await ctx.tx.sku.findMany({ where: { code: { startsWith: prefix } }, select: { code: true } });
  let n = 0n;
  for (const code of [...used.map((s) => s.code), ...reserved]) {
    const suffix = code.slice(prefix.length);
    if (code.startsWith(prefix) && /^\d+$/.test(suffix) && BigInt(suffix) > n) n = BigInt(suffix);
  }
  return () => `${prefix}${++n}`;
}

function productSnapshot(
  p: { name: string; description: string; category: string; active: boolean; sort: number; images: string[]; optionGroups: unknown },
  skus: { code: string; options: string[]; priceFen: number; stock: number; imageUrl: string | null; active: boolean }[],
) {
  // The description whole: audit data has no size rule, and a changed word must show in before/after.
  return {
    name: p.name,
    description: p.description,
    category: p.category,
    active: p.active,
    sort: p.sort,
    images: p.images,
    optionGroups: p.optionGroups,
    skus: skus.filter((s) => s.active).map((s) => ({ code: s.code, options: s.options, priceFen: s.priceFen, stock: s.stock, imageUrl: s.imageUrl })),
  };
}

/**
 * The product a new-product form's key already created, the key locked for the rest of the transaction: a second create
 * with the key waits here for the first to commit, then finds its product. The key with another body is refused.
 */
async function createdWithKey(ctx: Ctx, clientKey: string, digest: string): Promise<{ id: number } | null> {
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ProductClientKey'), hashtext(${clientKey}))`;
  const made = await ctx.tx.product.findUnique({ where: { clientKey }, select: { id: true, clientKeyDigest: true } });
  if (made && made.clientKeyDigest !== digest) refuse("CLIENT_KEY_REUSED", "这个新建商品的页面已经创建过一个内容不同的商品，请到商品列表查看");
  return made && { id: made.id };
}

/**
 * Creates (productId null) or updates a product and its SKU matrix. On update a SKU is matched by
 * its option combination: kept (price, code, image updated; stock changed by stock - baseStock, so
 * concurrent orders are not overwritten), created when new, deactivated when its combination is gone
 * (never deleted: order lines point at it). `expectedVersion` (productVersion of what the editor
 * loaded; the router always sends it) refuses a save over a change made since; without it (seed,
 * tests) the save applies to whatever is current. A create with a clientKey used before returns that
 * product, writing nothing.
 */
export async function saveProduct(ctx: Ctx, actor: Actor, productId: number | null, raw: z.input<typeof productInputSchema>, expectedVersion?: string) {
  const parsed = productInputSchema.safeParse(raw);
  if (!parsed.success) refuse("INVALID_PRODUCT", parsed.error.issues[0]?.message ?? "商品信息无效");
  const { clientKey, ...input }: ProductData = parsed.data;
  // Of the parsed body (keys in the schema's order), so a resent create matches its first however its JSON was ordered.
  const keyed = productId === null && clientKey !== undefined ? { clientKey, digest: createHash("sha256").update(JSON.stringify(input)).digest("hex") } : null;
  if (keyed) {
    const made = await createdWithKey(ctx, keyed.clientKey, keyed.digest);
    if (made) return made;
  }
  refuseEarningsClaims(ctx, "商品", productTexts(input));
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
      const product = await ctx.tx.product.create({ data: { ...data, clientKey: keyed?.clientKey ?? null, clientKeyDigest: keyed?.digest ?? null } });
      const nextCode = await skuCodeAllocator(ctx, product.id, codes);
      for (const [i, s] of input.skus.entries()) {
        await ctx.tx.sku.create({
          data: { productId: product.id, code: s.code || nextCode(), options: s.options, optionKey: optionKey(s.options), priceFen: s.priceFen, stock: s.stock, imageUrl: s.imageUrl, sort: i },
        });
      }
      const skus = await ctx.tx.sku.findMany({ where: { productId: product.id }, orderBy: [{ sort: "asc" }, { id: "asc" }] });
      await audit(ctx, actor, "catalog.product.create", `product:${product.id}`, { after: productSnapshot(product, skus) });
      return { id: product.id };
    }

    // Checked under the row lock, so of two saves from the same loaded version only the first passes.
    await lockProduct(ctx, productId);
    // In the SKUs' own order, so the audit entry's before and after list them alike.
    const before = await ctx.tx.product.findUnique({ where: { id: productId }, include: { skus: { orderBy: [{ sort: "asc" }, { id: "asc" }] } } });
    if (!before) refuse("NO_SUCH_PRODUCT", "商品不存在");
    if (expectedVersion !== undefined && productVersion(before) !== expectedVersion) refuse("STALE_PRODUCT", STALE_PRODUCT_MESSAGE);
    const existing = new Map(before.skus.map((s) => [s.optionKey, s]));
    const explicit = new Set(codes);
    const nextCode = await skuCodeAllocator(ctx, productId, codes);
    // A blank code keeps the SKU's code unless another row now claims it, else gets a generated one.
    const rows = input.skus.map((s, i) => {
      const old = existing.get(optionKey(s.options));
      return { s, i, old, code: s.code || (old && !explicit.has(old.code) ? old.code : nextCode()) };
    });
    const finalCode = new Map(rows.flatMap((r) => (r.old ? [[r.old.id, r.code] as const] : [])));
    const finalCodes = new Set(rows.map((r) => r.code));
    // Phase 1: a SKU of this product holding a code another row takes moves out of its way first (swaps,
    // renames); a dropped combination is deactivated and keeps "code.id" (or a generated code) instead.
    for (const s of before.skus) {
      const final = finalCode.get(s.id);
      const inTheWay = finalCodes.has(s.code) && final !== s.code;
      if (final !== undefined) {
        // "~" cannot be typed in a code (skuCodeSchema): the placeholder is free; phase 2 replaces it.
        if (inTheWay) await ctx.tx.sku.update({ where: { id: s.id }, data: { code: `~${s.id}` } });
      } else if (s.active || inTheWay) {
        await ctx.tx.sku.update({ where: { id: s.id }, data: { active: false, ...(inTheWay ? { code: await freedCode(ctx, s, finalCodes, nextCode) } : {}) } });
        // Its stock leaves the shop with it, in the stock log (an order line keeps pointing at the SKU, which stays).
        if (s.active) await clearStock(ctx, actor, s.id, SKU_REMOVED_REASON);
      }
    }
    await ctx.tx.product.update({ where: { id: productId }, data: { ...data, updatedAt: nextVersion(before.updatedAt, ctx.now) } });
    for (const { s, i, old, code } of rows) {
      if (!old) {
        await ctx.tx.sku.create({ data: { productId, code, options: s.options, optionKey: optionKey(s.options), priceFen: s.priceFen, stock: s.stock, imageUrl: s.imageUrl, sort: i } });
        continue;
      }
      await ctx.tx.sku.update({ where: { id: old.id }, data: { code, priceFen: s.priceFen, imageUrl: s.imageUrl, sort: i, active: true } });
      const delta = s.stock - (s.baseStock ?? old.stock);
      if (delta !== 0) await applyStockChange(ctx, actor, old.id, delta, "编辑商品");
    }
    const skus = await ctx.tx.sku.findMany({ where: { productId }, orderBy: [{ sort: "asc" }, { id: "asc" }] });
    const after = await ctx.tx.product.findUniqueOrThrow({ where: { id: productId } });
    await audit(ctx, actor, "catalog.product.update", `product:${productId}`, { before: productSnapshot(before, before.skus), after: productSnapshot(after, skus) });
    return { id: productId };
  } catch (e) {
    // Own codes never collide (phase 1) and others' were checked above: another product's concurrent save took it.
    if (isUniqueViolation(e)) refuse("SKU_CODE_TAKEN", "SKU 编码刚被其他商品占用，请重新保存");
    throw e;
  }
}

/** The code a dropped SKU keeps when its code is reused: "code.id" when that is valid and free, else a generated one. */
async function freedCode(ctx: Ctx, s: { id: number; code: string }, finalCodes: Set<string>, nextCode: () => string): Promise<string> {
  const code = `${s.code}.${s.id}`;
  const free = skuCodeSchema.safeParse(code).success && !finalCodes.has(code) && !(await ctx.tx.sku.findUnique({ where: { code }, select: { id: true } }));
  return free ? code : nextCode();
}

/** 上架 / 下架. */
export async function setProductShelf(ctx: Ctx, actor: Actor, productId: number, active: boolean) {
  await lockProduct(ctx, productId);
  const row = await ctx.tx.product.findUnique({ where: { id: productId }, select: { active: true, updatedAt: true } });
  if (!row) refuse("NO_SUCH_PRODUCT", "商品不存在");
  if (row.active === active) return { id: productId, active };
  await ctx.tx.product.update({ where: { id: productId }, data: { active, updatedAt: nextVersion(row.updatedAt, ctx.now) } });
  await audit(ctx, actor, active ? "catalog.product.on_shelf" : "catalog.product.off_shelf", `product:${productId}`, { before: { active: row.active }, after: { active } });
  return { id: productId, active };
}

export async function setProductSort(ctx: Ctx, actor: Actor, productId: number, sort: number) {
  if (!Number.isSafeInteger(sort) || Math.abs(sort) > 1_000_000) refuse("INVALID_SORT", "排序值无效");
  await lockProduct(ctx, productId);
  const row = await ctx.tx.product.findUnique({ where: { id: productId }, select: { sort: true, updatedAt: true } });
  if (!row) refuse("NO_SUCH_PRODUCT", "商品不存在");
  await ctx.tx.product.update({ where: { id: productId }, data: { sort, updatedAt: nextVersion(row.updatedAt, ctx.now) } });
  await audit(ctx, actor, "catalog.product.sort", `product:${productId}`, { before: { sort: row.sort }, after: { sort } });
  return { id: productId, sort };
}

// ---------------------------------------------------------------- stock

/** One atomic stock change, never below zero nor raised above MAX_STOCK (bigint sum: no int4 overflow), recorded with its reason. */
async function applyStockChange(ctx: Ctx, actor: Actor, skuId: number, delta: number, reason: string, clientKey: string | null = null) {
  const rows = await ctx.tx.$queryRaw<{ stock: number }[]>`
    UPDATE "Sku" SET stock = stock + ${delta}
    WHERE id = ${skuId} AND stock::bigint + ${delta} >= 0 AND (${delta} < 0 OR stock::bigint + ${delta} <= ${MAX_STOCK})
    RETURNING stock`;
  const row = rows[0];
  if (!row) {
    const sku = await ctx.tx.sku.findUnique({ where: { id: skuId }, select: { stock: true, code: true } });
    if (!sku) refuse("NO_SUCH_SKU", "SKU 不存在");
    if (delta > 0) refuse("STOCK_ABOVE_MAX", `库存不能超过 ${MAX_STOCK} 件：${sku.code} 当前 ${sku.stock} 件，最多还能增加 ${Math.max(0, MAX_STOCK - sku.stock)} 件`);
    refuse("STOCK_BELOW_ZERO", `库存不足：当前 ${sku.stock} 件，不能减少 ${-delta} 件`);
  }
  await ctx.tx.stockAdjustment.create({ data: { skuId, delta, stockAfter: row.stock, reason, actorId: actor?.staffId ?? null, clientKey, createdAt: ctx.now } });
  return row.stock;
}

/** Sets a SKU's stock to 0 (whatever orders left it at), recording what went with its reason; nothing when it had none. */
async function clearStock(ctx: Ctx, actor: Actor, skuId: number, reason: string) {
  const rows = await ctx.tx.$queryRaw<{ stock: number }[]>`
    UPDATE "Sku" s SET stock = 0 FROM (SELECT id, stock FROM "Sku" WHERE id = ${skuId} FOR UPDATE) o
    WHERE s.id = o.id AND o.stock > 0
    RETURNING o.stock`;
  const removed = rows[0]?.stock ?? 0;
  if (removed > 0) await ctx.tx.stockAdjustment.create({ data: { skuId, delta: -removed, stockAfter: 0, reason, actorId: actor?.staffId ?? null, clientKey: null, createdAt: ctx.now } });
}

/**
 * The adjustment a dialog's key already made, the key locked for the rest of the transaction: a second adjustment with
 * it waits here for the first to commit, then finds it. Keys are per member of staff (their dialog's), as the unique index.
 */
async function adjustedWithKey(ctx: Ctx, actorId: number | null, clientKey: string) {
  await ctx.tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('StockAdjustmentClientKey'), hashtext(${`${actorId ?? "system"}:${clientKey}`}))`;
  return ctx.tx.stockAdjustment.findFirst({ where: { actorId, clientKey }, select: { skuId: true, delta: true, reason: true, stockAfter: true } });
}

/**
 * 库存调整: + for goods received, − for loss or a count correction; the reason is required and audited. With a
 * clientKey made before, the same adjustment returns the stock it left (nothing applied again); another one is refused.
 */
export async function adjustStock(ctx: Ctx, actor: Actor, raw: z.input<typeof stockAdjustmentSchema>) {
  const parsed = stockAdjustmentSchema.safeParse(raw);
  if (!parsed.success) refuse("INVALID_ADJUSTMENT", parsed.error.issues[0]?.message ?? "调整无效");
  const { skuId, delta, reason, clientKey } = parsed.data;
  if (clientKey !== undefined) {
    const done = await adjustedWithKey(ctx, actor?.staffId ?? null, clientKey);
    if (done) {
      if (done.skuId !== skuId || done.delta !== delta || done.reason !== reason) refuse("CLIENT_KEY_REUSED", "这次库存调整已经保存过，内容与本次不同：请查看调整记录后再调整");
      return { skuId, stock: done.stockAfter };
    }
  }
  const sku = await ctx.tx.sku.findUnique({ where: { id: skuId }, select: { code: true, stock: true } });
  if (!sku) refuse("NO_SUCH_SKU", "SKU 不存在");
  const stockAfter = await applyStockChange(ctx, actor, skuId, delta, reason, clientKey);
  // By id: codes change and are reused; the code stays in the data for people reading the log.
  await audit(ctx, actor, "catalog.stock.adjust", `sku:${skuId}`, { before: { stock: stockAfter - delta }, after: { stock: stockAfter }, data: { code: sku.code, delta, reason } });
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

const ADJUSTMENT_INCLUDE = { sku: { select: { code: true, options: true, product: { select: { id: true, name: true, optionGroups: true } } } } } satisfies Prisma.StockAdjustmentInclude;

function stockAdjustmentRow(r: Prisma.StockAdjustmentGetPayload<{ include: typeof ADJUSTMENT_INCLUDE }>) {
  return {
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
  };
}

export type StockAdjustmentRow = ReturnType<typeof stockAdjustmentRow>;

/** Stock adjustments, newest first (the history list's page). */
export async function stockAdjustmentRows(ctx: Reader, opts: { skuId?: number }, skip: number, take: number) {
  const rows = await ctx.tx.stockAdjustment.findMany({
    where: opts.skuId ? { skuId: opts.skuId } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip,
    take,
    include: ADJUSTMENT_INCLUDE,
  });
  return rows.map(stockAdjustmentRow);
}

/** The history's export, one page at a time: up to `take` adjustments after `after` (the previous page's last row) in the list's order, seeking from it. */
export async function stockAdjustmentExportPage(ctx: Reader, opts: { skuId?: number }, after: Pick<StockAdjustmentRow, "id" | "createdAt"> | null, take: number) {
  const where: Prisma.StockAdjustmentWhereInput = opts.skuId ? { skuId: opts.skuId } : {};
  const rows = await seekPage(seeksAfter("createdAt", "desc", after && { value: after.createdAt, id: after.id }), take, (seek, n) =>
    ctx.tx.stockAdjustment.findMany({ where: { AND: [where, seek.where as Prisma.StockAdjustmentWhereInput] }, orderBy: seek.orderBy as Prisma.StockAdjustmentOrderByWithRelationInput[], take: n, include: ADJUSTMENT_INCLUDE }),
  );
  return rows.map(stockAdjustmentRow);
}

export const DEFAULT_LOW_STOCK = 10;

export function lowStockThreshold(threshold: number | undefined): number {
  return Math.max(0, Math.min(threshold ?? DEFAULT_LOW_STOCK, 1_000_000));
}

const lowStockWhere = (threshold: number): Prisma.SkuWhereInput => ({ active: true, stock: { lte: threshold }, product: { active: true } });

/** On-sale SKUs of on-shelf products at or below the threshold, emptiest first. */
export async function lowStockSkus(ctx: Reader, opts: { threshold?: number; limit?: number } = {}) {
  const threshold = lowStockThreshold(opts.threshold);
  return { threshold, items: await lowStockRows(ctx, threshold, null, Math.min(Math.max(opts.limit ?? 100, 1), 500)) };
}

export function countLowStock(ctx: Reader, threshold: number): Promise<number> {
  return ctx.tx.sku.count({ where: lowStockWhere(threshold) });
}

/** The low-stock list (the page and its export), up to `take` SKUs after `after` (the previous page's last row; null to start), seeking from it. */
export async function lowStockRows(ctx: Reader, threshold: number, after: { skuId: number; stock: number } | null, take: number) {
  const rows = await seekPage(seeksAfter("stock", "asc", after && { value: after.stock, id: after.skuId }), take, (seek, n) =>
    ctx.tx.sku.findMany({
      where: { AND: [lowStockWhere(threshold), seek.where as Prisma.SkuWhereInput] },
      orderBy: seek.orderBy as Prisma.SkuOrderByWithRelationInput[],
      take: n,
      include: STOCK_ROW_INCLUDE,
    }),
  );
  return rows.map(stockRow);
}

const STOCK_ROW_INCLUDE = { product: { select: { id: true, name: true, optionGroups: true, imageUrl: true, active: true } } } satisfies Prisma.SkuInclude;

/** A SKU as the stock page lists it (low-stock rows and search results alike). */
function stockRow(s: Prisma.SkuGetPayload<{ include: typeof STOCK_ROW_INCLUDE }>) {
  return {
    skuId: s.id,
    code: s.code,
    productId: s.product.id,
    productName: s.product.name,
    /** false: the product is off the shelf (it can still be restocked before going back on). */
    onShelf: s.product.active,
    imageUrl: s.imageUrl ?? s.product.imageUrl,
    label: skuLabel(parseOptionGroups(s.product.optionGroups), s.options),
    priceFen: s.priceFen,
    stock: s.stock,
  };
}

export const STOCK_SEARCH_LIMIT = 50;

/**
 * The stock page's search: every SKU whose code or product name contains `q` (any case), on the shelf or off it, so
 * staff can adjust any SKU, not only low ones. A combination dropped from its product's options (inactive) is left out:
 * it can no longer be sold. By product name, then the product's SKU order; the first STOCK_SEARCH_LIMIT, `more` if there are others.
 */
export async function searchStockSkus(ctx: Reader, q: string) {
  const term = q.trim();
  if (!term) return { items: [], more: false };
  const rows = await ctx.tx.sku.findMany({
    where: { active: true, OR: [{ code: { contains: term, mode: "insensitive" } }, { product: { name: { contains: term, mode: "insensitive" } } }] },
    orderBy: [{ product: { name: "asc" } }, { productId: "asc" }, { sort: "asc" }, { id: "asc" }],
    // One more than shown: `more` tells the page to ask for a narrower search.
    take: STOCK_SEARCH_LIMIT + 1,
    include: STOCK_ROW_INCLUDE,
  });
  return { items: rows.slice(0, STOCK_SEARCH_LIMIT).map(stockRow), more: rows.length > STOCK_SEARCH_LIMIT };
}
