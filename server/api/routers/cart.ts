import { z } from "zod";
import { id, int4 } from "@/server/validation";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { addToCart, cartCount, listCart, removeFromCart, setCartQty, setCartSelection } from "@/server/cart";

// Thin router: the cart's rules (quantities, stock, totals in fen) live in server/cart.
const skuId = id();
const skuIds = z.array(skuId).min(1).max(200);

export const cartRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listCart({ tx: ctx.db }, ctx.session.user.id)),

  count: protectedProcedure.query(({ ctx }) => cartCount({ tx: ctx.db }, ctx.session.user.id)),

  add: protectedProcedure
    .input(z.object({ skuId, qty: int4().default(1) }))
    .mutation(({ ctx, input }) => addToCart({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),

  setQty: protectedProcedure
    .input(z.object({ skuId, qty: int4() }))
    .mutation(({ ctx, input }) => setCartQty({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),

  /** Ticks/unticks lines for checkout; without skuIds, every line (全选). */
  select: protectedProcedure
    .input(z.object({ skuIds: skuIds.optional(), selected: z.boolean() }))
    .mutation(({ ctx, input }) => setCartSelection({ tx: ctx.db }, ctx.session.user.id, input.skuIds ?? "all", input.selected)),

  remove: protectedProcedure.input(z.object({ skuIds })).mutation(async ({ ctx, input }) => {
    await removeFromCart({ tx: ctx.db }, ctx.session.user.id, input.skuIds);
    return { removed: input.skuIds.length };
  }),
});
