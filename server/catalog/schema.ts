// Catalogue input schemas and SKU combination rules. Pure (no database): the merchant forms use the
// same zod schemas as the routers, and the SKU picker uses the same combination helpers.
import { z } from "@/lib/zod-client";
import { id, int4, text } from "@/server/validation";

export const MAX_OPTION_GROUPS = 3;
export const MAX_OPTION_VALUES = 20;
export const MAX_SKUS = 200;
export const MAX_IMAGES = 9;
/** Joins a SKU's option values into its per-product unique key. */
const KEY_SEPARATOR = "\u001f";

export interface OptionGroup {
  name: string;
  values: string[];
}

/** The merchant product list's sorts ("column.direction", as the back office's tables put them in the URL). */
export const MERCHANT_PRODUCT_SORTS = ["sort.asc", "sort.desc", "createdAt.desc", "createdAt.asc", "stock.asc", "stock.desc", "price.asc", "price.desc"] as const;
export type MerchantProductSort = (typeof MERCHANT_PRODUCT_SORTS)[number];

/** Images are our own files (uploads under /media/, demo pictures under /products/), never a foreign URL. */
export const imageUrlSchema = z
  .string()
  .max(300)
  .regex(/^\/(media|products)\/[A-Za-z0-9._\-/]+$/, "图片地址无效")
  .refine((s) => !s.includes(".."), "图片地址无效");

const label = (max: number, what: string) =>
  text(max, `${what}最多 ${max} 个字`)
    .trim()
    .min(1, `${what}不能为空`)
    .refine((s) => !s.includes(KEY_SEPARATOR), `${what}含有无效字符`);

export const optionGroupSchema = z
  .object({
    name: label(20, "规格名"),
    values: z.array(label(30, "规格值")).min(1, "每个规格至少一个值").max(MAX_OPTION_VALUES, `每个规格最多 ${MAX_OPTION_VALUES} 个值`),
  })
  .refine((g) => new Set(g.values).size === g.values.length, { message: "规格值不能重复", path: ["values"] });

export const optionGroupsSchema = z
  .array(optionGroupSchema)
  .max(MAX_OPTION_GROUPS, `最多 ${MAX_OPTION_GROUPS} 组规格`)
  .refine((gs) => new Set(gs.map((g) => g.name)).size === gs.length, "规格名不能重复");

export const skuCodeSchema = z
  .string()
  .trim()
  .min(1, "编码不能为空")
  .max(64, "编码最多 64 个字符")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "编码只能含字母、数字、点、横线和下划线");

/**
 * A back-office form's key for one submission (the new-product form, a stock adjustment dialog): sent again with the
 * same key, the first result comes back instead of a second product or adjustment.
 */
export const clientKeySchema = z.string().regex(/^[A-Za-z0-9-]{16,64}$/, "页面已过期，请刷新后重试");

/** A new client key: 32 hex digits (getRandomValues: randomUUID needs a secure context, a back office on a LAN address may lack). */
export function newClientKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const MAX_PRICE_FEN = 100_000_000;
export const MAX_STOCK = 10_000_000;

export const skuInputSchema = z.object({
  /** One value per option group, in group order ([] without options). */
  options: z.array(text(30)).max(MAX_OPTION_GROUPS),
  /** Blank: generated from the product id. */
  code: z.union([skuCodeSchema, z.literal("")]).default(""),
  priceFen: z.number().int("价格必须精确到分").min(0, "价格不能为负").max(MAX_PRICE_FEN, "价格过高"),
  stock: z.number().int("库存必须是整数").min(0, "库存不能为负").max(MAX_STOCK, "库存过大"),
  /** The stock the editor loaded for an existing SKU: the change (stock - baseStock) is applied as an
   * adjustment, so orders placed while the form was open are not overwritten. */
  baseStock: int4().min(0).optional(),
  imageUrl: imageUrlSchema.nullable().default(null),
});

export const productInputSchema = z
  .object({
    name: text(100, "标题最多 100 个字").trim().min(1, "请填写商品标题"),
    description: text(20_000, "描述过长").default(""),
    category: text(64).trim().min(1, "请选择分类"),
    images: z.array(imageUrlSchema).max(MAX_IMAGES, `最多 ${MAX_IMAGES} 张图片`).default([]),
    optionGroups: optionGroupsSchema.default([]),
    skus: z.array(skuInputSchema).min(1, "至少一个 SKU").max(MAX_SKUS, `最多 ${MAX_SKUS} 个 SKU`),
    active: z.boolean().default(true),
    sort: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    /** A new product's key (saveProduct creating): the same create sent again returns its product. An update has its version instead. */
    clientKey: clientKeySchema.optional(),
  })
  .superRefine((p, ctx) => {
    const combos = skuCombinations(p.optionGroups);
    if (combos.length > MAX_SKUS) {
      ctx.addIssue({ code: "custom", path: ["optionGroups"], message: `规格组合过多（${combos.length}），最多 ${MAX_SKUS} 个` });
      return;
    }
    const wanted = new Set(combos.map(optionKey));
    const seen = new Set<string>();
    const codes = new Set<string>();
    p.skus.forEach((s, i) => {
      const key = optionKey(s.options);
      if (s.options.length !== p.optionGroups.length || !wanted.has(key)) {
        ctx.addIssue({ code: "custom", path: ["skus", i, "options"], message: "SKU 的规格值与规格组不一致" });
      } else if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["skus", i, "options"], message: "同一规格组合只能有一个 SKU" });
      }
      seen.add(key);
      if (s.code) {
        if (codes.has(s.code)) ctx.addIssue({ code: "custom", path: ["skus", i, "code"], message: `编码重复：${s.code}` });
        codes.add(s.code);
      }
    });
    if (seen.size === wanted.size && p.skus.length === combos.length) return;
    const missing = combos.filter((c) => !seen.has(optionKey(c)));
    if (missing.length) ctx.addIssue({ code: "custom", path: ["skus"], message: `缺少规格组合：${missing.map((m) => m.join(" / ")).join("，")}` });
  });
export type ProductInput = z.input<typeof productInputSchema>;
export type ProductData = z.output<typeof productInputSchema>;

/** Per-category commission rates (SPEC §4): at most 3 levels, L1 ≥ L2 ≥ L3; null = the default rates. */
export const categoryInputSchema = z.object({
  slug: z
    .string()
    .trim()
    .min(1, "请填写分类标识")
    .max(64)
    .regex(/^[a-z0-9][a-z0-9-]*$/, "分类标识只能含小写字母、数字和横线"),
  name: text(20, "名称最多 20 个字").trim().min(1, "请填写分类名称"),
  sort: z.number().int().min(-10_000).max(10_000).default(0),
  icon: z
    .union([imageUrlSchema, text(8, "图标最多 8 个字符").trim().regex(/^[^<>"'&/\\]*$/, "图标无效")])
    .nullable()
    .default(null),
});
export type CategoryInput = z.input<typeof categoryInputSchema>;

export const stockAdjustmentSchema = z.object({
  skuId: id(),
  delta: z
    .number()
    .int("调整数量必须是整数")
    .min(-MAX_STOCK, `一次最多减少 ${MAX_STOCK} 件`)
    .max(MAX_STOCK, `一次最多增加 ${MAX_STOCK} 件`)
    .refine((d) => d !== 0, "调整数量不能为 0"),
  reason: text(200, "原因最多 200 个字").trim().min(2, "请填写调整原因"),
  /** The dialog's key: the same adjustment sent again returns its stock instead of applying the delta twice. */
  clientKey: clientKeySchema.optional(),
});

/** Every combination of one value per group, in display order (first group varies slowest). */
export function skuCombinations(groups: OptionGroup[]): string[][] {
  return groups.reduce<string[][]>((acc, g) => acc.flatMap((prefix) => g.values.map((v) => [...prefix, v])), [[]]);
}

export function optionKey(options: string[]): string {
  return options.join(KEY_SEPARATOR);
}

/** "颜色：红；尺码：M" — what an order line records; "" without options. */
export function skuLabel(groups: OptionGroup[], options: string[]): string {
  return options.map((v, i) => `${groups[i]?.name ?? ""}：${v}`).join("；");
}

/** Reads a product's stored option groups defensively (the column is JSON). */
export function parseOptionGroups(raw: unknown): OptionGroup[] {
  if (typeof raw === "string") {
    try {
      raw = JSON.parse(raw);
    } catch {
      return [];
    }
  }
  const parsed = optionGroupsSchema.safeParse(raw);
  return parsed.success ? parsed.data : [];
}
