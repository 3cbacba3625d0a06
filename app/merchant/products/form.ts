// The product editor's form schema: what the merchant types (prices in 元, option values as text)
// transformed into the catalogue's own input schema (fen, arrays) and validated by it — one set of
// rules for the form and the tRPC procedure — each refusal in the page's language.
import { z } from "@/lib/zod-client";
import type { Translator } from "@/lib/i18n/core";
import { MAX_SKUS, optionKey, productInputSchema, skuCombinations, type OptionGroup } from "@/server/catalog/schema";
import { yuanInputToFen } from "@/app/wallet/amount";
import { formatFen } from "@/components/money";
import { issueText } from "@/components/merchant/issue-text";

export interface SkuRow {
  options: string[];
  code: string;
  price: string;
  stock: string;
  baseStock?: number;
  /** A saved SKU's order lines so far (the removal warning says it has orders). */
  orders?: number;
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

/**
 * The SKU rows for the current option groups, keeping what was typed for combinations that remain. A new
 * combination starts with no price (the form asks for it; 批量填充 copies one to every row): a price copied
 * from whichever row came first was saved unnoticed for SKUs it was never meant for.
 */
export function matrixRows(groups: OptionGroup[], current: SkuRow[]): SkuRow[] {
  const byKey = new Map(current.map((r) => [optionKey(r.options), r]));
  const usable = groups.every((g) => g.name && g.values.length);
  const combos = usable ? skuCombinations(groups) : [[]];
  if (combos.length > 200) return current;
  return combos.map((options) => byKey.get(optionKey(options)) ?? { options, code: "", price: "", stock: "", imageUrl: null });
}

/** A saved SKU the form's save would remove (its combination is gone): what the warning before saving names. */
export interface RemovedSku {
  code: string;
  options: string[];
  stock: number;
  orders: number;
}

/** The saved SKUs (`loaded`, as the editor loaded them) whose combinations are not among `next`'s rows, in their order. */
export function removedSkus(loaded: readonly SkuRow[], next: readonly { options: string[] }[]): RemovedSku[] {
  const kept = new Set(next.map((r) => optionKey(r.options)));
  return loaded
    .filter((r) => r.baseStock !== undefined && !kept.has(optionKey(r.options)))
    .map((r) => ({ code: r.code, options: r.options, stock: r.baseStock ?? 0, orders: r.orders ?? 0 }));
}

/** Whole number of at most 8 digits ("" is not one). */
const count = (s: string): number | null => (/^\d{1,8}$/.test(s.trim()) ? Number(s.trim()) : null);
/** The sort value: blank is 0; otherwise a whole number, possibly negative (its range is the catalogue's). */
const sortValue = (s: string): number | null => (s.trim() === "" ? 0 : /^-?\d{1,8}$/.test(s.trim()) ? Number(s.trim()) : null);

/** The form's rows of the option groups sent (blank rows are dropped), by the catalogue's group index. */
function groupRowsOf(groups: ProductFormValues["groups"]): number[] {
  return groups.flatMap((g, i) => (g.name.trim() || g.values.trim() ? [i] : []));
}

/** Where a server refusal's field (a catalogue path such as "optionGroups.0.values.1") is in the form that sent `groups`. */
export function serverIssuePath(path: string, groups: ProductFormValues["groups"]): string {
  return formPath(path.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p)), groupRowsOf(groups)).join(".");
}

/** Where a catalogue issue belongs in the form: option groups by their row (blank rows are dropped), SKU fen and counts on the typed cells. */
function formPath(path: readonly PropertyKey[], groupRows: readonly number[]): (string | number)[] {
  const [head, index, field] = path as (string | number)[];
  if (head === "optionGroups") {
    if (typeof index !== "number") return ["groups"];
    const row = ["groups", groupRows[index] ?? index];
    return field === "name" || field === "values" ? [...row, field] : row;
  }
  if (head === "skus" && typeof index === "number" && field === "priceFen") return ["skus", index, "price"];
  return path as (string | number)[];
}

/** The catalogue's refusals that zod's code words too vaguely (a custom rule, a required field), by where they are. */
function ownWording(t: Translator, issue: z.core.$ZodIssue, groups: OptionGroup[], skus: readonly { code: string }[]): string | undefined {
  const [head, index, field] = issue.path;
  if (issue.code === "too_small" && head === "name") return t("mcat.err.titleRequired");
  if (issue.code === "too_small" && head === "category") return t("mcat.err.categoryRequired");
  if (issue.code !== "custom") return undefined;
  if (head === "optionGroups" && field === "values") return t("mcat.err.valuesRepeat");
  if (head === "optionGroups" && index === undefined) {
    const names = groups.map((g) => g.name);
    return new Set(names).size < names.length ? t("mcat.err.namesRepeat") : t("mcat.err.tooManyCombos", { n: skuCombinations(groups).length, max: MAX_SKUS });
  }
  if (head === "skus" && typeof index === "number" && field === "code") return t("mcat.err.codeRepeat", { code: skus[index]?.code ?? "" });
  return undefined;
}

/**
 * The form's values are read field by field, then checked by the catalogue's own input schema, all in one
 * pass: every field that is wrong is reported at once (a price that is not an amount does not hide a missing
 * title). A value that cannot be read is reported and stands in as 0, which the catalogue accepts.
 */
export function productForm(t: Translator) {
  return z
    .object({
      name: z.string(),
      description: z.string(),
      category: z.string(),
      sort: z.string(),
      active: z.boolean(),
      images: z.array(z.string()),
      groups: z.array(z.object({ name: z.string(), values: z.string() })),
      skus: z.array(z.object({ options: z.array(z.string()), code: z.string(), price: z.string(), stock: z.string(), baseStock: z.number().optional(), imageUrl: z.string().nullable() })),
    })
    .transform((v, ctx) => {
      let refused = false;
      const read = (value: number | null, path: (string | number)[], message: string) => {
        if (value !== null) return value;
        refused = true;
        ctx.addIssue({ code: "custom", path, message });
        return 0;
      };
      const sort = read(sortValue(v.sort), ["sort"], t("mcat.err.sort"));
      const skus = v.skus.map((s, i) => ({
        options: s.options,
        code: s.code.trim(),
        priceFen: read(yuanInputToFen(s.price), ["skus", i, "price"], t("mcat.err.price")),
        stock: read(count(s.stock), ["skus", i, "stock"], t("mcat.err.stock")),
        baseStock: s.baseStock,
        imageUrl: s.imageUrl,
      }));
      const groupRows = groupRowsOf(v.groups);
      const optionGroups = parsedGroups(v.groups);
      // The catalogue's own rules (required fields, combinations, codes, limits) decide; their refusals reach the form.
      const r = productInputSchema.safeParse({ name: v.name, description: v.description, category: v.category, sort, active: v.active, images: v.images, optionGroups, skus });
      if (!r.success) {
        for (const issue of r.error.issues) {
          const unit = issue.path[0] === "skus" && issue.path[2] === "priceFen" ? "fen" : undefined;
          const message = issueText(t, issue, { unit, wording: ownWording(t, issue, optionGroups, skus) });
          ctx.addIssue({ code: "custom", message, path: formPath(issue.path, groupRows) });
        }
      }
      return refused || !r.success ? z.NEVER : r.data;
    });
}
export type ProductFormOut = z.output<ReturnType<typeof productForm>>;

export function toFormValues(p: {
  name: string;
  description: string;
  category: string;
  sort: number;
  active: boolean;
  images: string[];
  optionGroups: OptionGroup[];
  skus: { options: string[]; code: string; priceFen: number; stock: number; baseStock: number; orders?: number; imageUrl: string | null }[];
}): ProductFormValues {
  return {
    name: p.name,
    description: p.description,
    category: p.category,
    sort: String(p.sort),
    active: p.active,
    images: p.images,
    groups: p.optionGroups.map((g) => ({ name: g.name, values: g.values.join(" ") })),
    skus: p.skus.map((s) => ({ options: s.options, code: s.code, price: formatFen(s.priceFen), stock: String(s.stock), baseStock: s.baseStock, ...(s.orders !== undefined ? { orders: s.orders } : {}), imageUrl: s.imageUrl })),
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
