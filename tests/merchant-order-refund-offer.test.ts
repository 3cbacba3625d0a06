// The order detail page's 退款 button: offered to a role that may change orders (operator) on an order the
// refund would accept, never to read-only support, and not beside an open after-sales request (decided in 售后).
// The detail comes from the router as each role gets it; the page's own gate (canAccess ordersWrite) decides canWrite.
import { createElement } from "react";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../server/db";
import { inTx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { handlePaymentNotification } from "../server/payments";
import { SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER, signSandbox } from "../server/payments/sandbox";
import { createSimpleProduct } from "../server/catalog/admin";
import { canAccess, type StaffRole } from "../server/staff/roles";
import { OrderDetailClient } from "../app/merchant/orders/[id]/OrderDetailClient";
import { freshPglite } from "./helpers/db";
import { callerFor, signedInStaff } from "./helpers/caller";
import { renderInProviders } from "./helpers/render";

const ADDRESS = { name: "张三", phone: "13912345678", region: "浙江省 杭州市 西湖区", detail: "文三路 100 号" };
let database: Database;
let buyer: number;

beforeEach(async () => {
  database = await freshPglite();
  await database.prisma.category.create({ data: { slug: "tea", name: "茗茶" } });
  await createSimpleProduct(database.prisma, { sku: "tea", name: "龙井", priceFen: 9900, category: "tea", stock: 5 });
  buyer = (await inTx(database.prisma, { config: parseConfig({}) }, (ctx) => registerMember(ctx, { username: "buyer" }))).id;
});
afterEach(() => database.close());

async function paidOrder() {
  const api = callerFor(database.prisma, buyer);
  const addr = await api.address.add(ADDRESS);
  const placed = await api.order.place({ source: { kind: "buyNow", sku: "tea", qty: 1 }, addressId: addr.id, useCredit: false });
  const body = JSON.stringify({ reference: placed.reference, providerTxnId: `SBX-${placed.orderId}`, amountFen: placed.payableFen, currency: "CNY", status: "SUCCESS" });
  const ts = String(Date.now());
  expect(await handlePaymentNotification(database.prisma, "sandbox", body, new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts }))).toEqual({ outcome: "paid" });
  return placed.orderId;
}

/** The detail page as `role` sees it: true when it offers 退款. */
async function offersRefund(role: StaffRole, orderId: number): Promise<boolean> {
  const staff = await signedInStaff(database.prisma, role);
  const detail = await staff.caller.merchantOrder.detail({ id: orderId });
  const page = createElement(OrderDetailClient, { id: orderId, canWrite: canAccess(role, "ordersWrite"), canDecide: canAccess(role, "afterSales") });
  const { html } = renderInProviders(page, "zh-CN", (trpc, qc) => qc.setQueryData(trpc.merchantOrder.detail.queryKey({ id: orderId }), detail as never));
  expect(html).toContain('data-testid="merchant-order-detail"');
  const offered = html.includes('data-testid="order-refund"');
  if (offered) expect(html).toMatch(/data-testid="order-refund"[^>]*>退款<\/button>/);
  return offered;
}

describe("the order detail page's 退款", () => {
  it("is offered to an operator on a PAID order, not to support", async () => {
    const orderId = await paidOrder();
    expect(await offersRefund("operator", orderId)).toBe(true);
    expect(await offersRefund("support", orderId)).toBe(false);
  });

  it("is not offered beside an open after-sales request, nor once the order is refunded", async () => {
    const orderId = await paidOrder();
    const operator = await signedInStaff(database.prisma, "operator");
    await operator.caller.merchantOrder.shipWithTracking({ id: orderId, carrier: "SF", trackingNo: "SF1234567890" });
    expect(await offersRefund("operator", orderId)).toBe(true);
    await callerFor(database.prisma, buyer).order.requestRefund({ id: orderId, reason: "damaged" });
    expect(await offersRefund("operator", orderId)).toBe(false);
    await operator.caller.merchantAfterSales.approve({ id: (await database.prisma.refundRequest.findFirstOrThrow({ where: { orderId } })).id });
    expect(await offersRefund("operator", orderId)).toBe(false);
  });
});
