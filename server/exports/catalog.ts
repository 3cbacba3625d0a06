// The catalogue's CSVs (operator, owner): products one row per on-sale SKU with its price in 元 and
// stock, the low-stock list, the stock adjustment history (with who), and the categories with their
// commission rates.
import { z } from "zod";
import type { Db } from "../db";
import { loadConfig } from "../context";
import {
  countLowStock,
  countProductSkus,
  countStockAdjustments,
  listCategoriesForMerchant,
  lowStockRows,
  lowStockThreshold,
  productExportOrder,
  productSkuExportPage,
  skusOfProducts,
  stockAdjustmentExportPage,
  type MerchantProductFilter,
  type ProductSkuRow as ProductRow,
  type StockAdjustmentRow,
} from "../catalog/admin";
import { MERCHANT_PRODUCT_SORTS } from "../catalog/schema";
import type { Translator } from "@/lib/i18n/core";
import { afterLast, csvTimeFormat, exportTranslator, yuanCell, type CsvColumn } from "./csv";

const yesNo = (t: Translator, v: boolean) => t(v ? "mm.yes" : "mm.no");

const productFilterSchema = z.object({
  q: z.string().trim().max(100).optional(),
  category: z.string().trim().max(64).optional(),
  shelf: z.enum(["on", "off"]).optional(),
  sort: z.enum(MERCHANT_PRODUCT_SORTS).optional(),
});

/**
 * One row per on-sale SKU in the product list's order, `take` per query: by shelf sort or creation each page
 * seeks after the last row written; by total stock or lowest price (figures of the SKUs, not columns) the
 * products' order is read once and their SKUs fetched `take` products at a time.
 */
export async function* productExportRows(db: Db, f: MerchantProductFilter, take = 500): AsyncGenerator<ProductRow> {
  const order = await productExportOrder({ tx: db }, f);
  if (!order) {
    yield* afterLast((after, n) => productSkuExportPage({ tx: db }, f, after, n), take);
    return;
  }
  for (let i = 0; i < order.length; i += take) yield* await skusOfProducts({ tx: db }, order.slice(i, i + take));
}

export const productExport = {
  kind: "products",
  area: "products",
  title: "mx.csv.file.products",
  fromSearch(params: URLSearchParams): MerchantProductFilter | null {
    const get = (k: string) => params.get(k)?.trim() || undefined;
    const parsed = productFilterSchema.safeParse({ q: get("q"), category: get("category"), shelf: get("shelf"), sort: get("sort") });
    return parsed.success ? parsed.data : null;
  },
  parse: (p: unknown) => productFilterSchema.parse(p),
  count: (db: Db, f: MerchantProductFilter) => countProductSkus({ tx: db }, f),
  rows: (db: Db, f: MerchantProductFilter) => productExportRows(db, f),
  columns: (_timeZone: string, t: Translator = exportTranslator()): CsvColumn<ProductRow>[] => [
    { header: t("mx.csv.productId"), value: (r) => r.productId },
    { header: t("mx.csv.product"), value: (r) => r.productName },
    { header: t("mx.csv.category"), value: (r) => r.categoryName },
    { header: t("mx.csv.spec"), value: (r) => r.label },
    { header: t("mx.csv.skuCode"), value: (r) => r.code },
    { header: t("mx.csv.priceYuan"), value: (r) => yuanCell(r.priceFen) },
    { header: t("mx.csv.stock"), value: (r) => r.stock },
    { header: t("mx.csv.onShelf"), value: (r) => yesNo(t, r.onShelf) },
    { header: t("mx.csv.sort"), value: (r) => r.sort },
  ],
} as const;

type LowRow = Awaited<ReturnType<typeof lowStockRows>>[number];

/** The low-stock list, emptiest first, `take` per query, each page seeking after the last row written. */
export function lowStockExportRows(db: Db, threshold: number, take = 500): AsyncGenerator<LowRow> {
  return afterLast((after, n) => lowStockRows({ tx: db }, threshold, after, n), take);
}
const thresholdSchema = z.object({ threshold: z.number().int().min(0).max(1_000_000) });

export const lowStockExport = {
  kind: "low-stock",
  area: "products",
  title: "mx.csv.file.lowStock",
  fromSearch(params: URLSearchParams): { threshold: number } | null {
    const raw = params.get("threshold")?.trim();
    const parsed = thresholdSchema.safeParse({ threshold: raw ? Number(raw) : lowStockThreshold(undefined) });
    return parsed.success ? parsed.data : null;
  },
  parse: (p: unknown) => thresholdSchema.parse(p),
  count: (db: Db, f: { threshold: number }) => countLowStock({ tx: db }, f.threshold),
  rows: (db: Db, f: { threshold: number }) => lowStockExportRows(db, f.threshold),
  columns: (_timeZone: string, t: Translator = exportTranslator()): CsvColumn<LowRow>[] => [
    { header: t("mx.csv.product"), value: (r) => r.productName },
    { header: t("mx.csv.spec"), value: (r) => r.label },
    { header: t("mx.csv.skuCode"), value: (r) => r.code },
    { header: t("mx.csv.priceYuan"), value: (r) => yuanCell(r.priceFen) },
    { header: t("mx.csv.stock"), value: (r) => r.stock },
  ],
} as const;

/** actorName null: a change the system made (named in the file's language). */
type HistoryRow = StockAdjustmentRow & { actorName: string | null };
/** Lists without filters store an empty one. */
const noFilter = z.object({});

/** A page of the history after the last row written, with the name of the member of staff who made each change. */
async function historyPage(db: Db, after: HistoryRow | null, take: number): Promise<HistoryRow[]> {
  const rows = await stockAdjustmentExportPage({ tx: db }, {}, after, take);
  const ids = [...new Set(rows.map((r) => r.actorId).filter((id): id is number => id !== null))];
  const staff = new Map((await db.staffAccount.findMany({ where: { id: { in: ids } }, select: { id: true, displayName: true, username: true } })).map((s) => [s.id, `${s.displayName} (${s.username})`]));
  return rows.map((r) => ({ ...r, actorName: r.actorId === null ? null : (staff.get(r.actorId) ?? `#${r.actorId}`) }));
}

/** The whole stock history, newest first, `take` per query, each page seeking after the last row written. */
export function stockHistoryExportRows(db: Db, take = 500): AsyncGenerator<HistoryRow> {
  return afterLast((after, n) => historyPage(db, after, n), take);
}

export const stockHistoryExport = {
  kind: "stock-history",
  area: "products",
  title: "mx.csv.file.stockHistory",
  fromSearch: (): Record<string, never> => ({}),
  parse: (p: unknown) => noFilter.parse(p),
  count: (db: Db) => countStockAdjustments({ tx: db }, {}),
  rows: (db: Db) => stockHistoryExportRows(db),
  columns: (timeZone: string, t: Translator = exportTranslator()): CsvColumn<HistoryRow>[] => {
    const time = csvTimeFormat(timeZone);
    return [
      { header: t("mx.csv.time"), value: (r) => time(r.createdAt) },
      { header: t("mx.csv.product"), value: (r) => r.productName },
      { header: t("mx.csv.spec"), value: (r) => r.label },
      { header: t("mx.csv.skuCode"), value: (r) => r.code },
      { header: t("mx.csv.delta"), value: (r) => (r.delta > 0 ? `+${r.delta}` : r.delta) },
      { header: t("mx.csv.stockAfter"), value: (r) => r.stockAfter },
      { header: t("mx.csv.reason"), value: (r) => r.reason },
      { header: t("mx.csv.changedBy"), value: (r) => r.actorName ?? t("m.audit.system") },
    ];
  },
} as const;

type CategoryRow = Awaited<ReturnType<typeof listCategoriesForMerchant>>[number];
const pct = (bps: number | undefined) => (bps === undefined ? "" : `${bps / 100}%`);

export const categoryExport = {
  kind: "categories",
  area: "products",
  title: "mcat.cat.title",
  fromSearch: (): Record<string, never> => ({}),
  parse: (p: unknown) => noFilter.parse(p),
  count: async (db: Db) => db.category.count(),
  async *rows(db: Db) {
    yield* await listCategoriesForMerchant({ tx: db, config: await loadConfig(db) });
  },
  columns: (_timeZone: string, t: Translator = exportTranslator()): CsvColumn<CategoryRow>[] => [
    { header: t("mx.csv.slug"), value: (r) => r.slug },
    { header: t("mx.csv.name"), value: (r) => r.name },
    { header: t("mx.csv.sort"), value: (r) => r.sort },
    { header: t("mx.csv.productCount"), value: (r) => r.productCount },
    { header: t("mx.csv.rateL1"), value: (r) => pct((r.ratesBps ?? r.defaultRatesBps)[0]) },
    { header: t("mx.csv.rateL2"), value: (r) => pct((r.ratesBps ?? r.defaultRatesBps)[1]) },
    { header: t("mx.csv.rateL3"), value: (r) => pct((r.ratesBps ?? r.defaultRatesBps)[2]) },
    { header: t("mx.csv.rateRule"), value: (r) => t(r.ratesBps ? "mx.csv.ownRates" : "mx.csv.defaultRates") },
  ],
} as const;
