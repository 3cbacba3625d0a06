import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { addToCart, cartCount, listCart, setCartQty } from "@/server/cart";

// Thin router: the cart's rules (quantities, stock, totals in fen) live in server/cart.
const skuId = z.number().int().positive();

export const cartRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listCart({ tx: ctx.db }, ctx.session.user.id)),

  count: protectedProcedure.query(({ ctx }) => cartCount({ tx: ctx.db }, ctx.session.user.id)),

  add: protectedProcedure
    .input(z.object({ skuId, qty: z.number().int().default(1) }))
    .mutation(({ ctx, input }) => addToCart({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),

  setQty: protectedProcedure
    .input(z.object({ skuId, qty: z.number().int() }))
    .mutation(({ ctx, input }) => setCartQty({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),
});
