import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { merchantApproveRefund, rejectRefundRequest } from "@/server/aftersales";
import { listRefundRequests } from "@/server/aftersales/view";
import { rejectRefundInput } from "@/server/aftersales/schema";
import { AREA_ROLES } from "@/server/staff/roles";
import { notFoundAware } from "./_errors";

const STATUSES = ["PENDING", "APPROVED", "REJECTED", "CLOSED"] as const;
const requestId = id();

/** Back office 售后: the refund-request queue (operator, support), approve (refund path) and reject with a reason (operator). */
export const merchantAfterSalesRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.ordersRead)
    .input(
      z
        .object({
          status: z.enum(STATUSES).optional(),
          orderNo: text(40).trim().optional(),
          page: z.number().int().min(1).max(10_000).default(1),
          pageSize: z.number().int().min(1).max(100).default(20),
        })
        .default({ page: 1, pageSize: 20 }),
    )
    .query(({ ctx, input }) => listRefundRequests({ tx: ctx.db }, input)),

  approve: staffProcedure(...AREA_ROLES.afterSales).input(z.object({ id: requestId })).mutation(({ ctx, input }) =>
    notFoundAware(merchantApproveRefund(ctx.db, appNow(), ctx.actor, input.id)),
  ),

  reject: staffProcedure(...AREA_ROLES.afterSales)
    .input(rejectRefundInput.extend({ id: requestId }))
    .mutation(async ({ ctx, input }) => {
      const r = await notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => rejectRefundRequest(c, ctx.actor, input.id, input.reason)));
      return { id: r.id, status: r.status };
    }),
});
