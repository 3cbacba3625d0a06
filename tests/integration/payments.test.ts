// The sandbox payment provider end to end: cashier → signed asynchronous callbacks (late, twice)
// → one payment; bad signatures and mismatched amounts refused; refunds to the original path;
// orders paid entirely with store credit.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../server/db";
import { inTx, DomainError } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, cancelUnpaidOrder } from "../../server/orders";
import { startPayment, handlePaymentNotification, refundOrderThroughProvider } from "../../server/payments";
import { sandboxGatewayPay, signSandbox, SANDBOX_SIGNATURE_HEADER, SANDBOX_TIMESTAMP_HEADER } from "../../server/payments/sandbox";
import { fromMerchant, walletOf } from "../../server/wallet/ledger";
import { freshDatabase } from "../helpers/db";
import { createSimpleProduct } from "../../server/catalog/admin";

const config = parseConfig({});
let database: Database;
let server: Server;
let notifyUrl: string;
const deliveries: number[] = [];

async function until(cond: () => boolean, ms = 30_000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 26800, category: "tea", stock: 5 });
  });
  deliveries.length = 0;
  // Our notify endpoint, as the route handler does it: raw body + headers → handlePaymentNotification.
  server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)] as [string, string]));
    try {
      const r = await handlePaymentNotification(database.prisma, "sandbox", body, headers);
      deliveries.push(200);
      res.writeHead(200).end(r.outcome === "refused" ? "REFUSED" : "SUCCESS");
    } catch {
      deliveries.push(400);
      res.writeHead(400).end("FAIL");
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
});
afterEach(async () => {
  await new Promise((r) => server.close(r));
  await database.close();
});

async function buyer() {
  const sponsor = await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "s" }));
  return inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "b", sponsorId: sponsor.id }));
}

describe("sandbox payments", () => {
  it("pays once although the signed callback arrives late and twice", async () => {
    const b = await buyer();
    const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    const { reference, cashierUrl } = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" });
    expect(cashierUrl).toBe(`/pay/sandbox/${reference}`);
    await sandboxGatewayPay(database.prisma, reference, notifyUrl, [50, 120]);
    await until(() => deliveries.length >= 2);
    expect(deliveries).toEqual([200, 200]);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    expect(await database.prisma.payment.count()).toBe(1);
    expect(await database.prisma.commission.count()).toBe(1);
  });

  it("refuses a forged signature and a tampered amount", async () => {
    const b = await buyer();
    const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" });
    const body = JSON.stringify({ reference, providerTxnId: "SBX1", amountFen: 1, currency: "CNY", status: "SUCCESS" });
    const ts = String(Date.now());
    const forged = new Headers({ [SANDBOX_SIGNATURE_HEADER]: "00".repeat(32), [SANDBOX_TIMESTAMP_HEADER]: ts });
    await expect(handlePaymentNotification(database.prisma, "sandbox", body, forged)).rejects.toThrow(/signature/);
    const signed = new Headers({ [SANDBOX_SIGNATURE_HEADER]: signSandbox(body, ts), [SANDBOX_TIMESTAMP_HEADER]: ts });
    expect(await handlePaymentNotification(database.prisma, "sandbox", body, signed)).toMatchObject({ outcome: "refused" });
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
  });

  it("a payment that arrives after the order was cancelled is refunded at once, and only once", async () => {
    const b = await buyer();
    const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" });
    await inTx(database.prisma, { config }, (ctx) => cancelUnpaidOrder(ctx, order.id, "shopper"));
    await sandboxGatewayPay(database.prisma, reference, notifyUrl, [10, 60]);
    await until(() => deliveries.length >= 2);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CANCELLED");
    expect(await database.prisma.payment.count()).toBe(0);
    expect((await database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } })).status).toBe("REFUNDED_LATE");
    expect(await database.prisma.auditLog.count({ where: { action: "payment.late_refunded", target: `order:${order.orderNo}` } })).toBe(1);
    await expect(startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" })).rejects.toThrow(/不可支付/);
  });

  it("refuses to start paying an order past its payment deadline", async () => {
    const b = await buyer();
    const t = new Date("2026-06-01T00:00:00Z");
    const order = await inTx(database.prisma, { config, now: t }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }] }));
    await expect(startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x", now: new Date(t.getTime() + 30 * 60_000) })).rejects.toThrow(/支付时限/);
    // Less than 3 minutes left is refused too (the provider's expiry is 2 minutes before ours); exactly 3 is not.
    await expect(startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x", now: new Date(t.getTime() + 27 * 60_000 + 1) })).rejects.toThrow(/即将截止/);
    const ok = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x", now: new Date(t.getTime() + 27 * 60_000) });
    expect(ok.cashierUrl).toMatch(/^\/pay\/sandbox\//);
  });

  it("refunds through the provider once, restocks, and refuses after completion", async () => {
    const b = await buyer();
    const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 2 }] }));
    const { reference } = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" });
    await sandboxGatewayPay(database.prisma, reference, notifyUrl, [10]);
    await until(() => deliveries.length >= 1);
    await refundOrderThroughProvider(database.prisma, order.id);
    await expect(refundOrderThroughProvider(database.prisma, order.id)).rejects.toBeInstanceOf(DomainError);
    const payment = await database.prisma.payment.findFirstOrThrow();
    expect(payment).toMatchObject({ status: "REFUNDED", refundNo: `RF${order.id}` });
    expect((await database.prisma.sku.findUniqueOrThrow({ where: { code: "tea" } })).stock).toBe(5);
  });

  it("an order paid entirely with store credit needs no provider and gives the credit back on refund", async () => {
    const b = await buyer();
    await inTx(database.prisma, { config }, (ctx) => fromMerchant(ctx, "gift", "test", "merchant:rebate", b.id, "credit", 30000));
    const order = await inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId: b.id, lines: [{ sku: "tea", qty: 1 }], creditFen: 26800 }));
    expect(order.payableFen).toBe(0);
    expect((await walletOf({ tx: database.prisma }, b.id)).credit).toBe(3200);
    const r = await startPayment(database.prisma, { orderId: order.id, memberId: b.id, baseUrl: "http://x" });
    expect(r.cashierUrl).toBe(`/orders/${order.id}/result`);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    await refundOrderThroughProvider(database.prisma, order.id);
    expect((await walletOf({ tx: database.prisma }, b.id)).credit).toBe(30000);
  });
});
