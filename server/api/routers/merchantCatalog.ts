import { z } from "zod";
import { id as idSchema, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import {
  adjustStock,
  getProductForMerchant,
  listCategoriesForMerchant,
  listProductsForMerchant,
  listStockAdjustments,
  lowStockSkus,
  saveCategory,
  saveProduct,
  searchStockSkus,
  setCategoryCommissionRates,
  setProductShelf,
  setProductSort,
} from "@/server/catalog/admin";
import { AREA_ROLES } from "@/server/staff/roles";
import { categoryInputSchema, MERCHANT_PRODUCT_SORTS, productInputSchema, stockAdjustmentSchema } from "@/server/catalog/schema";

// Thin router over server/catalog/admin. The catalogue is the operators' (and the owner's) area;
// every change is audited inside the domain function with the acting staff account and request id.
const reader = staffProcedure(...AREA_ROLES.products);
const editor = staffProcedure(...AREA_ROLES.products);
const id = idSchema();

export const merchantCatalogRouter = createTRPCRouter({
  products: reader
    .input(
      z
        .object({
          q: text(100).optional(),
          category: text(64).optional(),
          shelf: z.enum(["on", "off"]).optional(),
          sort: z.enum(MERCHANT_PRODUCT_SORTS).optional(),
          page: z.number().int().min(1).max(10_000).optional(),
          pageSize: z.number().int().min(1).max(100).optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => listProductsForMerchant({ tx: ctx.db }, input)),

  product: reader.input(z.object({ id })).query(async ({ ctx, input }) => {
    const p = await getProductForMerchant({ tx: ctx.db }, input.id);
    if (!p) throw new TRPCError({ code: "NOT_FOUND", message: "商品不存在" });
    return p;
  }),

  /** `clientKey`: the form's; the same create sent again returns its product. */
  createProduct: editor.input(productInputSchema).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => saveProduct(c, ctx.actor, null, input)),
  ),

  /** `version`: the product's version the editor loaded (product.version); a stale one is a 409. */
  updateProduct: editor.input(z.object({ id, version: z.iso.datetime(), product: productInputSchema })).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => saveProduct(c, ctx.actor, input.id, input.product, input.version)),
  ),

  setShelf: editor.input(z.object({ id, active: z.boolean() })).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => setProductShelf(c, ctx.actor, input.id, input.active)),
  ),

  setSort: editor.input(z.object({ id, sort: z.number().int().min(-1_000_000).max(1_000_000) })).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => setProductSort(c, ctx.actor, input.id, input.sort)),
  ),

  categories: reader.query(async ({ ctx }) => listCategoriesForMerchant({ tx: ctx.db, config: await loadConfig(ctx.db) })),

  createCategory: editor.input(categoryInputSchema).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => saveCategory(c, ctx.actor, input, "create")),
  ),

  /** `version`: the category's version the form loaded (categories[].version); a stale one is refused. */
  updateCategory: editor.input(categoryInputSchema.extend({ version: z.iso.datetime() })).mutation(({ ctx, input: { version, ...category } }) =>
    inTx(ctx.db, { now: appNow() }, (c) => saveCategory(c, ctx.actor, category, "update", version)),
  ),

  /** Per-category commission rates (SPEC §4); null restores the default rates. Program rules: the owner's alone. */
  setCategoryRates: staffProcedure(...AREA_ROLES.rulesWrite)
    .input(z.object({ slug: text(64).min(1), ratesBps: z.array(z.number().int().min(0).max(10_000)).max(10).nullable() }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => setCategoryCommissionRates(c, ctx.actor, input.slug, input.ratesBps))),

  /** `clientKey`: the dialog's; the same adjustment sent again is applied once. */
  adjustStock: editor.input(stockAdjustmentSchema).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => adjustStock(c, ctx.actor, input)),
  ),

  lowStock: reader
    .input(z.object({ threshold: z.number().int().min(0).max(1_000_000).optional() }).default({}))
    .query(({ ctx, input }) => lowStockSkus({ tx: ctx.db }, input)),

  /** Any SKU by code or product name, for the stock page's adjust form (same role as lowStock/adjustStock). */
  searchStock: reader.input(z.object({ q: text(100) })).query(({ ctx, input }) => searchStockSkus({ tx: ctx.db }, input.q)),

  stockHistory: reader
    .input(z.object({ skuId: id.optional(), page: z.number().int().min(1).max(10_000).optional(), pageSize: z.number().int().min(1).max(100).optional() }).default({}))
    .query(({ ctx, input }) => listStockAdjustments({ tx: ctx.db }, input)),
});
