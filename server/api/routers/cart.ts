import { z } from "zod";
import { id, int4 } from "@/server/validation";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { addToCart, cartCount, listCart, setCartQty } from "@/server/cart";

// Thin router: the cart's rules (quantities, stock, totals in fen) live in server/cart.
const skuId = id();

export const cartRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listCart({ tx: ctx.db }, ctx.session.user.id)),

  count: protectedProcedure.query(({ ctx }) => cartCount({ tx: ctx.db }, ctx.session.user.id)),

  add: protectedProcedure
    .input(z.object({ skuId, qty: int4().default(1) }))
    .mutation(({ ctx, input }) => addToCart({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),

  setQty: protectedProcedure
    .input(z.object({ skuId, qty: int4() }))
    .mutation(({ ctx, input }) => setCartQty({ tx: ctx.db }, ctx.session.user.id, input.skuId, input.qty)),
});
