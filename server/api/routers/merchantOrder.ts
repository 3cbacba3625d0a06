import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { listRecentOrders } from "@/server/orders/view";
import { merchantRefundOrder, merchantShipOrder } from "@/server/orders/actions";
import { notFoundAware } from "./_errors";

const STATUSES = ["PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED", "REFUNDED"] as const;
const orderId = z.number().int().positive();

/** Merchant staff (STAFF or ADMIN): recent orders, ship, refund. */
export const merchantOrderRouter = createTRPCRouter({
  list: staffProcedure()
    .input(z.object({ status: z.enum(STATUSES).optional(), cursor: z.number().int().positive().optional() }).default({}))
    .query(({ ctx, input }) => listRecentOrders({ tx: ctx.db }, input)),

  ship: staffProcedure().input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => merchantShipOrder(c, ctx.session.user.id, input.id))),
  ),

  refund: staffProcedure().input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(merchantRefundOrder(ctx.db, appNow(), ctx.session.user.id, input.id)),
  ),
});
