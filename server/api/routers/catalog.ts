import { z } from "zod";
import { id, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, publicProcedure } from "@/server/api/trpc";
import { getCategory, getProduct, homeBanners, listCategories, listCategoryProducts, listProducts, PRODUCT_SORTS, searchProducts } from "@/server/catalog";

const sort = z.enum(PRODUCT_SORTS).optional();

export const catalogRouter = createTRPCRouter({
  home: publicProcedure.query(async ({ ctx }) => {
    const [categories, products, banners] = await Promise.all([listCategories(ctx.db), listProducts(ctx.db, { limit: 40 }), homeBanners(ctx.db)]);
    return { banners, categories, products: products.items };
  }),

  categories: publicProcedure.query(({ ctx }) => listCategories(ctx.db)),

  products: publicProcedure
    // cursor: the previous page's nextCursor (keyset: its last product's sort and id).
    .input(z.object({ category: text(64).optional(), limit: z.number().int().min(1).max(100).optional(), cursor: text(40).optional() }))
    .query(({ ctx, input }) => listProducts(ctx.db, input)),

  /** A category and a page of its products, as the category page shows them (cursor: the previous page's nextCursor). */
  category: publicProcedure.input(z.object({ slug: text(64).min(1), sort, cursor: text(60).optional() })).query(async ({ ctx, input }) => {
    const category = await getCategory(ctx.db, input.slug);
    if (!category) return null;
    return { category, ...(await listCategoryProducts(ctx.db, { category: category.slug, sort: input.sort, cursor: input.cursor })) };
  }),

  /** Title and category words (partial Chinese input tolerated), optionally within a category. */
  search: publicProcedure
    .input(z.object({ q: text(100), category: text(64).optional(), sort }))
    .query(({ ctx, input }) => searchProducts(ctx.db, { q: input.q, category: input.category, sort: input.sort, limit: 60 })),

  product: publicProcedure.input(z.object({ id: id() })).query(async ({ ctx, input }) => {
    const product = await getProduct(ctx.db, input.id);
    if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "商品不存在或已下架" });
    return product;
  }),
});
