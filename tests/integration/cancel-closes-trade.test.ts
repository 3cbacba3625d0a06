// A shopper's cancel closes the order's unpaid trades at their provider, through the provider-call outbox (CLOSE, in
// the cancel's transaction): on the sandbox, a closed trade can no longer be paid. Nothing is queued for an order
// without a trade, nor by a cancel that rolled back; a trade paid before its close is left to the late-payment refund.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { ProviderCallKind } from "../../server/db/generated/enums";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { cancelUnpaidOrder, createOrder } from "../../server/orders";
import { applyProviderPayment, getProvider, startPayment } from "../../server/payments";
import { performDueProviderCalls, PROVIDER_MAX_ATTEMPTS } from "../../server/payments/calls";
import { SandboxTradeClosed, sandboxGatewayPay, sandboxTradeClosed } from "../../server/payments/sandbox";
import { listFailedJobs } from "../../server/scheduler/failed";
import { shopperCancelOrderNow } from "../../server/orders/actions";
import { createSimpleProduct } from "../../server/catalog/admin";
import { merchantZhCN } from "../../lib/i18n/messages/merchant.zh-CN";
import { merchantEn } from "../../lib/i18n/messages/merchant.en";
import { freshDatabase } from "../helpers/db";

const config = parseConfig({});
const NOTIFY = "http://127.0.0.1:9/notify"; // never delivered: the tests take the gateway's notification by hand
let database: Database;
let memberId: number;

beforeEach(async () => {
  database = await freshDatabase();
  const db = database.prisma;
  await db.mallConfig.create({ data: { data: config as object } });
  await inTx(db, { config }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "龙井", priceFen: 26_800, category: "tea", stock: 5 });
  });
  memberId = (await inTx(db, { config }, (ctx) => registerMember(ctx, { username: "alice" }))).id;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

const newOrder = () => inTx(database.prisma, { config }, (ctx) => createOrder(ctx, { memberId, lines: [{ sku: "tea", qty: 1 }], address: "杭州" }));
const pay = (orderId: number, now = new Date()) => startPayment(database.prisma, { orderId, memberId, provider: "sandbox", baseUrl: "http://127.0.0.1:3100", now });
const cancel = (orderId: number, now = new Date()) => inTx(database.prisma, { config, now }, (ctx) => cancelUnpaidOrder(ctx, orderId, "shopper"));
const calls = () => database.prisma.providerCall.findMany({ orderBy: { id: "asc" }, select: { kind: true, provider: true, idempotencyNo: true, amountFen: true, orderId: true, status: true } });
const intent = (reference: string) => database.prisma.paymentIntent.findUniqueOrThrow({ where: { reference } });

describe("a shopper's cancel closes the order's open trades", () => {
  it("queues one CLOSE per unpaid trade with the cancel; performed, the sandbox refuses to take the money", async () => {
    const order = await newOrder();
    const t0 = new Date();
    const first = await pay(order.id, t0);
    const second = await pay(order.id, t0);
    expect(await cancel(order.id, t0)).toBe(true);
    expect(await calls()).toEqual([
      { kind: "CLOSE", provider: "sandbox", idempotencyNo: first.reference, amountFen: 26_800, orderId: order.id, status: "PENDING" },
      { kind: "CLOSE", provider: "sandbox", idempotencyNo: second.reference, amountFen: 26_800, orderId: order.id, status: "PENDING" },
    ]);
    expect(await performDueProviderCalls(database.prisma, t0)).toBe(2);
    expect((await calls()).map((c) => c.status)).toEqual(["DONE", "DONE"]);
    // Well before the trade's own expiry: closed by the cancel.
    expect(sandboxTradeClosed(await intent(first.reference), t0)).toBe(true);
    await expect(sandboxGatewayPay(database.prisma, first.reference, NOTIFY, [])).rejects.toBeInstanceOf(SandboxTradeClosed);
    expect(await intent(first.reference)).toMatchObject({ status: "CREATED", providerTxnId: null });
    const audit = await database.prisma.auditLog.findMany({ where: { action: "payment.trade_closed", target: `order:${order.orderNo}` }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.data)).toEqual([{ reference: first.reference, outcome: "closed" }, { reference: second.reference, outcome: "closed" }]);
  });

  it("the shopper's cancel closes the trade right after it commits, without waiting for the sweep", async () => {
    const order = await newOrder();
    const t0 = new Date();
    const trade = await pay(order.id, t0);
    expect(await shopperCancelOrderNow(database.prisma, memberId, order.id, t0)).toEqual({ cancelled: true });
    expect((await calls()).map((c) => [c.kind, c.status])).toEqual([["CLOSE", "DONE"]]);
    await expect(sandboxGatewayPay(database.prisma, trade.reference, NOTIFY, [])).rejects.toBeInstanceOf(SandboxTradeClosed);
    // Another member's order is not found, and nothing is closed for it.
    const other = (await inTx(database.prisma, { config }, (ctx) => registerMember(ctx, { username: "bob" }))).id;
    const second = await newOrder();
    await pay(second.id, t0);
    await expect(shopperCancelOrderNow(database.prisma, other, second.id, t0)).rejects.toMatchObject({ code: "ORDER_NOT_FOUND" });
    expect((await calls()).length).toBe(1);
  });

  it("an order without a trade queues nothing; a cancel that rolled back queues nothing, the same cancel committed its close", async () => {
    const bare = await newOrder();
    expect(await cancel(bare.id)).toBe(true);
    const order = await newOrder();
    await pay(order.id);
    await expect(
      inTx(database.prisma, { config }, async (ctx) => {
        expect(await cancelUnpaidOrder(ctx, order.id, "shopper")).toBe(true);
        throw new Error("rolled back after the cancel");
      }),
    ).rejects.toThrow(/rolled back/);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
    expect(await calls()).toEqual([]);
    // The same cancel committed queues its close: only this order's.
    expect(await cancel(order.id)).toBe(true);
    expect(await calls()).toEqual([expect.objectContaining({ kind: "CLOSE", orderId: order.id, status: "PENDING" })]);
  });

  it("a trade paid before its close: the close says paid and refunds nothing; the payment's own late refund goes back once", async () => {
    const order = await newOrder();
    const { reference } = await pay(order.id);
    const paid = await sandboxGatewayPay(database.prisma, reference, NOTIFY, []);
    expect(await cancel(order.id)).toBe(true);
    await performDueProviderCalls(database.prisma);
    const audit = await database.prisma.auditLog.findMany({ where: { action: "payment.trade_closed" } });
    expect(audit.map((a) => a.data)).toEqual([{ reference, outcome: "paid" }]);
    expect(await applyProviderPayment(database.prisma, getProvider("sandbox"), paid, new Date())).toEqual({ outcome: "refused", reason: "order is CANCELLED" });
    expect(await calls()).toEqual([
      expect.objectContaining({ kind: "CLOSE", idempotencyNo: reference, status: "DONE" }),
      expect.objectContaining({ kind: "REFUND", idempotencyNo: `LATE-${paid.providerTxnId}`, amountFen: 26_800, status: "DONE" }),
    ]);
  });

  it("a close the provider keeps failing is dead-lettered to staff, who read its kind in words", async () => {
    const order = await newOrder();
    const { reference } = await pay(order.id);
    expect(await cancel(order.id)).toBe(true);
    vi.spyOn(getProvider("sandbox"), "closePayment").mockRejectedValue(new Error("sandbox down"));
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    let at = new Date();
    for (let i = 0; i < PROVIDER_MAX_ATTEMPTS; i++) {
      await performDueProviderCalls(database.prisma, at);
      at = (await database.prisma.providerCall.findFirstOrThrow({ where: { idempotencyNo: reference } })).nextAttemptAt;
    }
    expect(await calls()).toEqual([expect.objectContaining({ kind: "CLOSE", status: "DEAD" })]);
    expect(await listFailedJobs(database.prisma)).toEqual([expect.objectContaining({ type: "providerCall", kind: "CLOSE", ref: reference, attempts: PROVIDER_MAX_ATTEMPTS })]);
    for (const kind of Object.values(ProviderCallKind)) {
      expect(merchantZhCN[`m.jobs.kind.${kind}` as keyof typeof merchantZhCN]).toMatch(/\p{Script=Han}/u);
      expect(merchantEn[`m.jobs.kind.${kind}` as keyof typeof merchantEn]).toMatch(/^[A-Z][a-z]/);
    }
    expect(merchantZhCN["m.audit.act.payment.trade_closed" as keyof typeof merchantZhCN]).toMatch(/\p{Script=Han}/u);
    expect(merchantEn["m.audit.act.payment.trade_closed" as keyof typeof merchantEn]).toMatch(/^[A-Z][a-z]/);
  });
});
