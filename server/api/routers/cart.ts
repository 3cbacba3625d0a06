import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { getProduct, getProductsByIds } from "@/server/catalog";

const MAX_QTY = 99;

export const cartRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const memberId = ctx.session.user.id;
    const rows = await ctx.db.cartItem.findMany({ where: { memberId }, orderBy: { updatedAt: "desc" } });
    const products = new Map((await getProductsByIds(ctx.db, rows.map((r) => r.productId))).map((p) => [p.id, p]));
    const items = rows.flatMap((r) => {
      const product = products.get(r.productId);
      return product ? [{ productId: r.productId, qty: r.qty, product }] : [];
    });
    // Integer fen throughout; only in-stock, active lines count towards the total.
    const totalFen = items.reduce((sum, i) => (i.product.active && i.product.stock >= i.qty ? sum + i.product.priceFen * i.qty : sum), 0);
    return { items, totalFen, count: items.reduce((n, i) => n + i.qty, 0) };
  }),

  count: protectedProcedure.query(async ({ ctx }) => {
    const agg = await ctx.db.cartItem.aggregate({ where: { memberId: ctx.session.user.id }, _sum: { qty: true } });
    return agg._sum.qty ?? 0;
  }),

  add: protectedProcedure
    .input(z.object({ productId: z.number().int().positive(), qty: z.number().int().min(1).max(MAX_QTY).default(1) }))
    .mutation(async ({ ctx, input }) => {
      const product = await getProduct(ctx.db, input.productId);
      if (!product) throw new TRPCError({ code: "NOT_FOUND", message: "商品不存在或已下架" });
      const memberId = ctx.session.user.id;
      const existing = await ctx.db.cartItem.findUnique({ where: { memberId_productId: { memberId, productId: product.id } } });
      const qty = Math.min((existing?.qty ?? 0) + input.qty, MAX_QTY);
      if (qty > product.stock) throw new TRPCError({ code: "BAD_REQUEST", message: `库存不足，仅剩 ${product.stock} 件` });
      await ctx.db.cartItem.upsert({
        where: { memberId_productId: { memberId, productId: product.id } },
        create: { memberId, productId: product.id, qty },
        update: { qty },
      });
      return { qty };
    }),

  setQty: protectedProcedure
    .input(z.object({ productId: z.number().int().positive(), qty: z.number().int().min(0).max(MAX_QTY) }))
    .mutation(async ({ ctx, input }) => {
      const key = { memberId_productId: { memberId: ctx.session.user.id, productId: input.productId } };
      if (input.qty === 0) {
        await ctx.db.cartItem.deleteMany({ where: { memberId: ctx.session.user.id, productId: input.productId } });
        return { qty: 0 };
      }
      await ctx.db.cartItem.update({ where: key, data: { qty: input.qty } });
      return { qty: input.qty };
    }),
});
