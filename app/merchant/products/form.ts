// The product editor's form schema: what the merchant types (prices in 元, option values as text)
// transformed into the catalogue's own input schema (fen, arrays) and validated by it — one set of
// rules for the form and the tRPC procedure.
import { z } from "@/lib/zod-client";
import { optionKey, productInputSchema, skuCombinations, type OptionGroup } from "@/server/catalog/schema";
import { yuanInputToFen } from "@/app/wallet/amount";
import { formatFen } from "@/components/money";

export interface SkuRow {
  options: string[];
  code: string;
  price: string;
  stock: string;
  baseStock?: number;
  imageUrl: string | null;
}

export interface ProductFormValues {
  name: string;
  description: string;
  category: string;
  sort: string;
  active: boolean;
  images: string[];
  groups: { name: string; values: string }[];
  skus: SkuRow[];
}

/** "红 蓝，绿、黑" → ["红","蓝","绿","黑"] (commas, 、 and spaces separate values; duplicates kept for the schema to report). */
export function splitValues(text: string): string[] {
  return text
    .split(/[,，、\s]+/)
    .map((v) => v.trim())
    .filter(Boolean);
}

export function parsedGroups(groups: ProductFormValues["groups"]): OptionGroup[] {
  return groups.filter((g) => g.name.trim() || g.values.trim()).map((g) => ({ name: g.name.trim(), values: splitValues(g.values) }));
}

/** The SKU rows for the current option groups, keeping what was typed for combinations that remain. */
export function matrixRows(groups: OptionGroup[], current: SkuRow[]): SkuRow[] {
  const byKey = new Map(current.map((r) => [optionKey(r.options), r]));
  const usable = groups.every((g) => g.name && g.values.length);
  const combos = usable ? skuCombinations(groups) : [[]];
  if (combos.length > 200) return current;
  return combos.map((options) => byKey.get(optionKey(options)) ?? { options, code: "", price: current[0]?.price ?? "", stock: "", imageUrl: null });
}

const fen = (what: string) =>
  z.string().transform((s, ctx) => {
    const v = yuanInputToFen(s);
    if (v === null) {
      ctx.addIssue({ code: "custom", message: `${what}：请输入金额，如 99.00` });
      return z.NEVER;
    }
    return v;
  });
const count = (what: string) =>
  z.string().transform((s, ctx) => {
    const t = s.trim();
    if (!/^\d{1,8}$/.test(t)) {
      ctx.addIssue({ code: "custom", message: `${what}：请输入非负整数` });
      return z.NEVER;
    }
    return Number(t);
  });

export const productFormSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    category: z.string(),
    sort: z.string().transform((s) => (s.trim() === "" ? 0 : Number(s))),
    active: z.boolean(),
    images: z.array(z.string()),
    groups: z.array(z.object({ name: z.string(), values: z.string() })),
    skus: z.array(z.object({ options: z.array(z.string()), code: z.string(), price: fen("价格"), stock: count("库存"), baseStock: z.number().optional(), imageUrl: z.string().nullable() })),
  })
  .transform((v) => ({
    name: v.name,
    description: v.description,
    category: v.category,
    sort: v.sort,
    active: v.active,
    images: v.images,
    optionGroups: parsedGroups(v.groups),
    skus: v.skus.map((s) => ({ options: s.options, code: s.code.trim(), priceFen: s.price, stock: s.stock, baseStock: s.baseStock, imageUrl: s.imageUrl })),
  }))
  .transform((v, ctx) => {
    // The catalogue's own rules (combinations, codes, limits) decide; their messages reach the form.
    const r = productInputSchema.safeParse(v);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as (string | number)[] });
      return z.NEVER;
    }
    return r.data;
  });

export function toFormValues(p: {
  name: string;
  description: string;
  category: string;
  sort: number;
  active: boolean;
  images: string[];
  optionGroups: OptionGroup[];
  skus: { options: string[]; code: string; priceFen: number; stock: number; baseStock: number; imageUrl: string | null }[];
}): ProductFormValues {
  return {
    name: p.name,
    description: p.description,
    category: p.category,
    sort: String(p.sort),
    active: p.active,
    images: p.images,
    groups: p.optionGroups.map((g) => ({ name: g.name, values: g.values.join(" ") })),
    skus: p.skus.map((s) => ({ options: s.options, code: s.code, price: formatFen(s.priceFen), stock: String(s.stock), baseStock: s.baseStock, imageUrl: s.imageUrl })),
  };
}

export const EMPTY_PRODUCT: ProductFormValues = {
  name: "",
  description: "",
  category: "",
  sort: "0",
  active: true,
  images: [],
  groups: [],
  skus: [{ options: [], code: "", price: "", stock: "", imageUrl: null }],
};
