import { z } from "zod";
import { id, int4, text } from "@/server/validation";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, protectedProcedure } from "@/server/api/trpc";
import { inTx, loadConfig } from "@/server/context";
import { appNow } from "@/server/clock/app-clock";
import { checkoutPreview, payExistingOrder, placeOrder } from "@/server/orders/checkout";
import { getMemberOrder, listMemberOrders, memberOrderStatus, ORDER_TAB_KEYS, type OrderTab } from "@/server/orders/view";
import { shopperCancelOrderNow, shopperConfirmDelivery } from "@/server/orders/actions";
import { shopperRequestRefund } from "@/server/aftersales";
import { afterSalesOfOrder } from "@/server/aftersales/view";
import { refundRequestOnOrder } from "@/server/aftersales/schema";
import { serverOrigin } from "@/server/env";
import { clientIp } from "@/server/auth/request";
import { notFoundAware } from "./_errors";

// Thin router over server/orders (checkout, view, actions). A shopper only ever sees their own orders.
const source = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cart") }),
  z.object({ kind: z.literal("buyNow"), sku: text(100).min(1), qty: int4() }),
]);
const orderId = id();
/** The checkout page's key for its order (app/checkout/CheckoutView.tsx newCheckoutKey). */
const checkoutKey = text(32).regex(/^[0-9a-f]{32}$/, "下单页面已过期，请刷新后重试");
/** The shopper's browser: WeChat's user agent means WeChat Pay JSAPI; H5 pay wants the client IP. */
const payingClient = (headers: Headers) => ({ userAgent: headers.get("user-agent"), ip: clientIp(headers) });
const notFound = () => new TRPCError({ code: "NOT_FOUND", message: "订单不存在" });

export const orderRouter = createTRPCRouter({
  preview: protectedProcedure.input(z.object({ source })).query(async ({ ctx, input }) => {
    const config = await loadConfig(ctx.db);
    return checkoutPreview({ tx: ctx.db, config }, ctx.session.user.id, input.source);
  }),

  /** 提交订单: creates the order, starts the payment, returns the cashier URL. A clientKey placed before gets its order back. */
  place: protectedProcedure
    .input(z.object({ source, addressId: id(), useCredit: z.boolean().default(false), clientKey: checkoutKey.optional(), expectedPayableFen: int4().min(0).optional() }))
    .mutation(({ ctx, input }) =>
      notFoundAware(placeOrder(ctx.db, appNow(), { memberId: ctx.session.user.id, ...input, baseUrl: serverOrigin(), client: payingClient(ctx.headers) })),
    ),

  /** 去支付 on an unpaid order. */
  pay: protectedProcedure.input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(payExistingOrder(ctx.db, appNow(), { memberId: ctx.session.user.id, orderId: input.id, baseUrl: serverOrigin(), client: payingClient(ctx.headers) })),
  ),

  list: protectedProcedure
    .input(z.object({ tab: z.enum(ORDER_TAB_KEYS as [OrderTab, ...OrderTab[]]).default("all"), cursor: id().optional() }))
    .query(async ({ ctx, input }) => {
      const config = await loadConfig(ctx.db);
      const now = appNow();
      return { ...(await listMemberOrders({ tx: ctx.db, config, now }, ctx.session.user.id, input.tab, { cursor: input.cursor })), serverNow: now };
    }),

  byId: protectedProcedure.input(z.object({ id: orderId })).query(async ({ ctx, input }) => {
    const config = await loadConfig(ctx.db);
    const order = await getMemberOrder({ tx: ctx.db, config, now: appNow() }, ctx.session.user.id, input.id);
    if (!order) throw notFound();
    return { ...order, serverNow: appNow() };
  }),

  status: protectedProcedure.input(z.object({ id: orderId })).query(async ({ ctx, input }) => {
    const s = await memberOrderStatus({ tx: ctx.db }, ctx.session.user.id, input.id);
    if (!s) throw notFound();
    return s;
  }),

  cancel: protectedProcedure.input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(shopperCancelOrderNow(ctx.db, ctx.session.user.id, input.id, appNow())),
  ),

  confirmDelivery: protectedProcedure.input(z.object({ id: orderId })).mutation(({ ctx, input }) =>
    notFoundAware(inTx(ctx.db, { now: appNow() }, (c) => shopperConfirmDelivery(c, ctx.session.user.id, input.id))),
  ),

  /** 申请退款: refunded at once while not shipped, otherwise a request the merchant decides (售后). */
  requestRefund: protectedProcedure.input(refundRequestOnOrder).mutation(({ ctx, input }) =>
    notFoundAware(shopperRequestRefund(ctx.db, appNow(), ctx.session.user.id, input.id, input)),
  ),

  /** The order's after-sales requests (status, the merchant's reason) and whether one may be made now. */
  afterSales: protectedProcedure.input(z.object({ id: orderId })).query(async ({ ctx, input }) => {
    const r = await afterSalesOfOrder({ tx: ctx.db, config: await loadConfig(ctx.db), now: appNow() }, ctx.session.user.id, input.id);
    if (!r) throw notFound();
    return r;
  }),
});
