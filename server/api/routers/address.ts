import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { addAddress, deleteAddress, listAddresses, setDefaultAddress, updateAddress } from "@/server/members/addresses";
import { notFoundAware } from "./_errors";

// Thin router: validation and ownership live in server/members/addresses (messages in Chinese).
const fields = z.object({
  name: text(200),
  phone: text(40),
  region: text(200).optional(),
  areaCode: text(12).nullish(),
  detail: text(500),
  isDefault: z.boolean().optional(),
});

export const addressRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listAddresses({ tx: ctx.db }, ctx.session.user.id)),

  add: protectedProcedure.input(fields).mutation(({ ctx, input }) =>
    inTx(ctx.db, { now: appNow() }, (c) => addAddress(c, ctx.session.user.id, input)),
  ),

  update: protectedProcedure.input(fields.extend({ id: id() })).mutation(({ ctx, input: { id: addressId, ...input } }) =>
    notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => updateAddress(c, ctx.session.user.id, addressId, input))),
  ),

  delete: protectedProcedure.input(z.object({ id: id() })).mutation(async ({ ctx, input }) => {
    await notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => deleteAddress(c, ctx.session.user.id, input.id)));
    return { deleted: true };
  }),

  setDefault: protectedProcedure.input(z.object({ id: id() })).mutation(({ ctx, input }) =>
    notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => setDefaultAddress(c, ctx.session.user.id, input.id))),
  ),
});
