// What the shopper is told about a refund (SPEC §1: it goes back to the original payment path): at the refund, that
// it was accepted and goes back the way they paid — the provider is asked only after commit and may fail — and, when
// the provider's refund ends in failure or is given up on (dead-lettered), once per refund, that it ran into a problem
// the shop will handle, without the provider's words. Store credit alone is back at once: that refund is told as done.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { CREDIT_ONLY, handlePaymentNotification, reconcileOpenRefunds, refundOrderThroughProvider, registerProvider } from "../server/payments";
import { SandboxProvider } from "../server/payments/sandbox";
import type { CreatePaymentRequest, PaymentProvider, RefundResult } from "../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls } from "../server/payments/calls";
import { retryFailedJob } from "../server/scheduler/failed";
import { fromMerchant } from "../server/wallet/ledger";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshDatabase } from "./helpers/db";

/** The sandbox, whose refunds fail with a provider error (`failing`) or are accepted as PROCESSING; its callbacks are plain JSON. */
class ScriptedRefunds implements PaymentProvider {
  readonly name = "sandbox";
  private readonly real = new SandboxProvider();
  failing = false;
  queryAnswer: "CLOSED" | null = null;
  createPayment(req: CreatePaymentRequest) {
    return this.real.createPayment(req);
  }
  verifyNotification(rawBody: string) {
    return JSON.parse(rawBody) as ReturnType<PaymentProvider["verifyNotification"]>;
  }
  async refund(): Promise<RefundResult> {
    if (this.failing) throw Object.assign(new Error("Request failed with status code 403"), { response: { status: 403, data: { code: "NOT_ENOUGH", message: "基本账户余额不足" } } });
    return { status: "PROCESSING" };
  }
  async queryRefund(req: { refundNo: string; providerTxnId: string }) {
    return this.queryAnswer ? { kind: "refund" as const, refundNo: req.refundNo, providerTxnId: req.providerTxnId, refundFen: 10_000, status: this.queryAnswer } : null;
  }
  payout() {
    return this.real.payout({ payoutNo: "", amountFen: 0, realName: "" });
  }
}

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let provider: ScriptedRefunds;
let staffId: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>, now = t0) => inTx(database.prisma, { config, now }, fn);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 10 });
  });
  staffId = (await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "ops", role: "owner", passwordHash: "x", createdAt: t0 } })).id;
  provider = new ScriptedRefunds();
  registerProvider(provider);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await database.close();
});

/** A 100 元 tea paid through the provider (or, `credit`, wholly with store credit) at t0. */
async function paidOrder(credit = false) {
  const buyer = await run((ctx) => registerMember(ctx, { username: "buyer" }));
  if (credit) await run((ctx) => fromMerchant(ctx, "gift", "test", "merchant:adjustment", buyer.id, "credit", 10_000));
  const order = await run((ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }], creditFen: credit ? 10_000 : 0 }));
  const payment = credit
    ? { provider: CREDIT_ONLY, providerTxnId: `credit-${order.id}`, amountFen: 0 }
    : { provider: "sandbox", providerTxnId: "SBX1", amountFen: order.payableFen };
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, currency: "CNY", ...payment }));
  return { memberId: buyer.id, order };
}

const refundNotices = (memberId: number) =>
  database.prisma.notification.findMany({ where: { memberId, kind: "refund" }, orderBy: { id: "asc" }, select: { key: true, title: true, body: true } });
const callOf = (orderId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { orderId, kind: "REFUND" } });

/** Runs the refund call's due attempts until it is dead-lettered. */
async function untilDead(orderId: number) {
  for (let i = 0; i < PROVIDER_MAX_ATTEMPTS && (await callOf(orderId)).status === "PENDING"; i++) {
    await performDueProviderCalls(database.prisma, (await callOf(orderId)).nextAttemptAt);
  }
  expect((await callOf(orderId)).status).toBe("DEAD");
}

describe("the shopper's refund notices", () => {
  it("a refund through the provider is told as accepted and on its way back, never as done", async () => {
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(database.prisma, order.id, t0);
    expect(await refundNotices(memberId)).toEqual([
      { key: "order.refundStarted", title: "退款已受理", body: `订单 ${order.orderNo} 的退款已受理，款项将原路退回` },
    ]);
  });

  it("an order paid wholly with store credit is refunded at once, nothing asked of a provider: told as refunded", async () => {
    const { memberId, order } = await paidOrder(true);
    await refundOrderThroughProvider(database.prisma, order.id, t0);
    expect(await database.prisma.providerCall.count({ where: { orderId: order.id } })).toBe(0);
    expect(await refundNotices(memberId)).toEqual([{ key: "order.refunded", title: "退款成功", body: `订单 ${order.orderNo} 已退款` }]);
  });

  it("a refund the provider keeps refusing is dead-lettered with one notice of the problem, without its words; dead-lettered again after a staff retry, nothing more", async () => {
    provider.failing = true;
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(database.prisma, order.id, t0);
    // Failing and retried: nothing more than the refund's own notice yet.
    expect((await refundNotices(memberId)).map((n) => n.key)).toEqual(["order.refundStarted"]);
    await untilDead(order.id);
    const problem = { key: "order.refundFailed", title: "退款遇到问题", body: `订单 ${order.orderNo} 的退款遇到问题，商家会尽快为您处理` };
    expect(await refundNotices(memberId)).toEqual([{ key: "order.refundStarted", title: "退款已受理", body: `订单 ${order.orderNo} 的退款已受理，款项将原路退回` }, problem]);

    const call = await callOf(order.id);
    await run((ctx) => retryFailedJob(ctx, { staffId }, { type: "providerCall", id: call.id }), call.nextAttemptAt);
    await untilDead(order.id);
    expect((await refundNotices(memberId)).filter((n) => n.key === "order.refundFailed")).toEqual([problem]);
  });

  it("a refund the provider accepted and then closed (its callback, repeated, and its query): one notice of the problem; a successful one: 退款已到账", async () => {
    const { memberId, order } = await paidOrder();
    await refundOrderThroughProvider(database.prisma, order.id, t0);
    const call = await callOf(order.id);
    expect(call).toMatchObject({ status: "DONE", refundOpenSince: t0 });
    const callback = JSON.stringify({ kind: "refund", refundNo: call.idempotencyNo, providerTxnId: "SBX1", refundFen: 10_000, status: "CLOSED" });
    const later = new Date(t0.getTime() + 30 * 60_000);
    expect(await handlePaymentNotification(database.prisma, "sandbox", callback, new Headers(), later)).toEqual({ outcome: "paid" });
    expect(await handlePaymentNotification(database.prisma, "sandbox", callback, new Headers(), later)).toEqual({ outcome: "duplicate" });
    // Its query answering the same afterwards tells nothing more either.
    provider.queryAnswer = "CLOSED";
    await reconcileOpenRefunds(database.prisma, new Date(later.getTime() + 60 * 60_000));
    expect((await refundNotices(memberId)).map((n) => [n.key, n.title])).toEqual([["order.refundStarted", "退款已受理"], ["order.refundFailed", "退款遇到问题"]]);

    const other = await run(async (ctx) => {
      const buyer = await registerMember(ctx, { username: "second" });
      const o = await createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] });
      await confirmPayment(ctx, { orderId: o.id, provider: "sandbox", providerTxnId: "SBX2", amountFen: o.payableFen, currency: "CNY" });
      return { memberId: buyer.id, orderId: o.id };
    });
    await refundOrderThroughProvider(database.prisma, other.orderId, t0);
    const paidBack = JSON.stringify({ kind: "refund", refundNo: (await callOf(other.orderId)).idempotencyNo, providerTxnId: "SBX2", refundFen: 10_000, status: "SUCCESS" });
    expect(await handlePaymentNotification(database.prisma, "sandbox", paidBack, new Headers(), later)).toEqual({ outcome: "paid" });
    expect((await refundNotices(other.memberId)).map((n) => n.key)).toEqual(["order.refundStarted", "order.refundDone"]);
  });
});
