import { z } from "zod";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { listRecentOrders } from "@/server/orders/view";
import { merchantRefundOrder, merchantShipOrder } from "@/server/orders/actions";
import { AREA_ROLES } from "@/server/staff/roles";
import { notFoundAware } from "./_errors";

const STATUSES = ["PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED", "REFUNDED"] as const;
const orderId = z.number().int().positive();

/** Back office: recent orders (operator, support), ship and refund (operator). */
export const merchantOrderRouter = createTRPCRouter({
  list: staffProcedure(...AREA_ROLES.ordersRead)
    .input(z.object({ status: z.enum(STATUSES).optional(), cursor: z.number().int().positive().optional() }).default({}))
    .query(({ ctx, input }) => listRecentOrders({ tx: ctx.db }, input)),

  ship: staffProcedure(...AREA_ROLES.ordersWrite).input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => merchantShipOrder(c, ctx.actor, input.id))),
  ),

  refund: staffProcedure(...AREA_ROLES.ordersWrite).input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(merchantRefundOrder(ctx.db, appNow(), ctx.actor, input.id)),
  ),
});
