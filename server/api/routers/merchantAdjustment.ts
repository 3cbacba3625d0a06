import { z } from "zod";
import { id as idSchema, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { approveAdjustment, findMemberByRef, listAdjustments, rejectAdjustment, requestAdjustment } from "@/server/wallet/adjustments";
import { adjustmentFilterSchema, adjustmentRequestSchema } from "@/server/wallet/schemas";
import { AREA_ROLES } from "@/server/staff/roles";

const id = idSchema();

/** Back office (finance, owner): manual ledger adjustments with two-person approval above the threshold. */
export const merchantAdjustmentRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.adjustments)
    .input(adjustmentFilterSchema.extend({ page: z.number().int().min(1).max(100_000).optional(), pageSize: z.number().int().min(1).max(100).optional() }).default({}))
    .query(({ ctx, input }) => listAdjustments(ctx.db, input, ctx.staff.staffId)),
  /** Who a phone number or id names, shown before the adjustment is submitted. */
  findMember: staffProcedure(...AREA_ROLES.adjustments)
    .input(z.object({ ref: text(40).trim().min(1) }))
    .query(async ({ ctx, input }) => {
      const m = await findMemberByRef(ctx.db, input.ref);
      if (!m) throw new TRPCError({ code: "NOT_FOUND", message: "找不到该会员" });
      return m;
    }),
  request: staffProcedure(...AREA_ROLES.adjustments)
    .input(adjustmentRequestSchema)
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => requestAdjustment(c, ctx.actor, input))),
  approve: staffProcedure(...AREA_ROLES.adjustments)
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => approveAdjustment(c, ctx.actor, input.id))),
  reject: staffProcedure(...AREA_ROLES.adjustments)
    .input(z.object({ id, note: text(200).trim().min(1, "请填写驳回说明") }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => rejectAdjustment(c, ctx.actor, input.id, input.note))),
});
