import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { getCategory, getProduct, homeBanners, listCategories, listProducts } from "@/server/catalog";

export const catalogRouter = createTRPCRouter({
  home: publicProcedure.query(async ({ ctx }) => {
    const [categories, products] = await Promise.all([listCategories(ctx.db), listProducts(ctx.db, { limit: 40 })]);
    return { banners: homeBanners(), categories, products: products.items };
  }),

  categories: publicProcedure.query(({ ctx }) => listCategories(ctx.db)),

  products: publicProcedure
    .input(z.object({ category: text(64).optional(), limit: z.number().int().min(1).max(100).optional(), cursor: id().optional() }))
    .query(({ ctx, input }) => listProducts(ctx.db, input)),

  category: publicProcedure.input(z.object({ slug: text(64).min(1) })).query(async ({ ctx, input }) => {
    const category = await getCategory(ctx.db, input.slug);
    if (!category) return null;
    const products = await listProducts(ctx.db, { category: input.slug, limit: 100 });
    return { category, products: products.items };
  }),

  product: publicProcedure.input(z.object({ id: id() })).query(async ({ ctx, input }) => {
    const product = await getProduct(ctx.db, input.id);
    if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "商品不存在或已下架" });
    return product;
  }),
});
