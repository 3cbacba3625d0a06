import { z } from "zod";
import { id, text } from "@/server/validation";
import { createTRPCRouter, staffProcedure } from "@/server/api/trpc";
import { inTx } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { merchantRefundOrder } from "@/server/orders/actions";
import { AREA_ROLES, canAccess } from "@/server/staff/roles";
import { loadConfig } from "@/server/context";
import { merchantOrderDetail, searchOrders, stuckRefundCount, ORDER_SORTS } from "@/server/orders/merchant";
import { bulkShipFromCsv, shipWithTracking, MAX_CSV_BYTES } from "@/server/orders/shipping";
import { shipWithTrackingInput } from "@/server/orders/shipping-schema";
import { TRPCError } from "@trpc/server";
import { notFoundAware } from "./_errors";

const STATUSES = ["PENDING_PAYMENT", "PAID", "SHIPPED", "DELIVERED", "COMPLETED", "CANCELLED", "REFUNDED"] as const;
const orderId = id();

const searchInput = z
  .object({
    orderNo: text(40).trim().optional(),
    phone: text(20).trim().optional(),
    status: z.enum(STATUSES).optional(),
    /** 退款中 / 退款异常: REFUNDED orders whose money is on its way back, or stuck. */
    refund: z.enum(["pending", "stuck"]).optional(),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
    product: text(60).trim().optional(),
    /** 仅优先发货 (SPEC §7). */
    priority: z.boolean().optional(),
    sort: z.enum(ORDER_SORTS).default("createdAt.desc"),
    page: z.number().int().min(1).max(10_000).default(1),
    pageSize: z.number().int().min(1).max(100).default(20),
  })
  .default({ sort: "createdAt.desc", page: 1, pageSize: 20 });

/** Back office: orders search and detail (operator, support), ship and refund (operator). */
export const merchantOrderRouter = createTRPCRouter({
  search: staffProcedure(...AREA_ROLES.ordersRead)
    .input(searchInput)
    .query(async ({ ctx, input }) => searchOrders({ tx: ctx.db, config: await loadConfig(ctx.db) }, input)),

  /** The home page's 退款异常 count, for the roles that may open the list it links to. */
  stuckRefundCount: staffProcedure(...AREA_ROLES.ordersRead).query(async ({ ctx }) => stuckRefundCount({ tx: ctx.db, config: await loadConfig(ctx.db) })),

  detail: staffProcedure(...AREA_ROLES.ordersRead)
    .input(z.object({ id: orderId }))
    .query(async ({ ctx, input }) => {
      // Those who ship see the whole address while the order needs it (server/orders/address-privacy.ts); read-only roles get it masked.
      const revealAddress = canAccess(ctx.staff.role, "ordersWrite");
      const order = await merchantOrderDetail({ tx: ctx.db, config: await loadConfig(ctx.db), now: appNow() }, input.id, { revealAddress });
      if (!order) throw new TRPCError({ code: "NOT_FOUND", message: "订单不存在" });
      return order;
    }),

  shipWithTracking: staffProcedure(...AREA_ROLES.ordersWrite)
    .input(shipWithTrackingInput)
    .mutation(({ ctx, input }) =>
      notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => shipWithTracking(c, ctx.actor, { orderId: input.id, carrier: input.carrier, trackingNo: input.trackingNo }))),
    ),

  /** 批量发货: a CSV, all rows or none; row errors come back as data (not an exception). */
  bulkShip: staffProcedure(...AREA_ROLES.ordersWrite)
    .input(z.object({ csv: text(MAX_CSV_BYTES).min(1) }))
    .mutation(({ ctx, input }) => inTx(ctx.db, { now: appNow() }, (c) => bulkShipFromCsv(c, ctx.actor, input.csv))),

  refund: staffProcedure(...AREA_ROLES.ordersWrite).input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(merchantRefundOrder(ctx.db, appNow(), ctx.actor, input.id)),
  ),
});
