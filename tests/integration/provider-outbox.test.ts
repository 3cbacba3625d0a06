// Money never hangs (issue 8): refunds and payouts are queued with their state change and
// performed by a retried job with a stable idempotency number; a provider that fails N times, or a
// crash between the state change and the provider call, loses nothing and pays nothing twice.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment, refundOrder } from "../../server/orders";
import { fromMerchant, walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { requestWithdrawal, executePayout } from "../../server/wallet/withdrawals";
import { refundOrderThroughProvider, registerProvider } from "../../server/payments";
import { SandboxProvider } from "../../server/payments/sandbox";
import type { CreatePaymentRequest, PaymentProvider, PayoutRequest } from "../../server/payments/provider";
import { PROVIDER_MAX_ATTEMPTS, performDueProviderCalls, reconcilePayingWithdrawals } from "../../server/payments/calls";
import { countFailedJobs, retryFailedJob } from "../../server/scheduler/failed";
import { backoffMs } from "../../server/scheduler";
import { freshDatabase } from "../helpers/db";
import { createSimpleProduct } from "../../server/catalog/admin";

/** The sandbox provider, down for the next `failures` calls; it records every number it was asked. */
class FlakySandbox implements PaymentProvider {
  readonly name = "sandbox";
  private readonly real = new SandboxProvider();
  refundNos: string[] = [];
  payoutNos: string[] = [];
  constructor(public failures: number) {}
  createPayment(req: CreatePaymentRequest) {
    return this.real.createPayment(req);
  }
  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date) {
    return this.real.verifyNotification(rawBody, headers, receivedAt);
  }
  private trip() {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("sandbox: gateway unavailable");
    }
  }
  async refund(req: { refundNo: string; providerTxnId: string; amountFen: number }) {
    this.refundNos.push(req.refundNo);
    this.trip();
    return this.real.refund();
  }
  async payout(req: PayoutRequest) {
    this.payoutNos.push(req.payoutNo);
    this.trip();
    return this.real.payout(req);
  }
}

const config = parseConfig({});
let database: Database;
const t0 = new Date("2026-03-10T02:00:00Z");
const VALID_ID = "11010519491231002X";

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config, now: t0 }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "tea", stock: 10 });
  });
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await database.close();
});

async function paidOrder() {
  const db = database.prisma;
  const buyer = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "buyer" }));
  const order = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db, { config, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "SBX1", amountFen: order.payableFen, currency: "CNY" }));
  return order;
}

async function verifiedMemberWithBalance(realName = "张三丰") {
  const db = database.prisma;
  const m = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "earner" }));
  await inTx(db, { config, now: t0 }, (ctx) => verifyIdentity(ctx, m.id, { realName, idNumber: VALID_ID }));
  await inTx(db, { config, now: t0 }, (ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", m.id, "available", 500_000));
  return m.id;
}

describe("refunds through the outbox", () => {
  it("a provider failing 3 times: the order is REFUNDED at once, the money is returned on the 4th attempt with the same refund number", async () => {
    const db = database.prisma;
    const flaky = new FlakySandbox(3);
    registerProvider(flaky);
    const order = await paidOrder();
    await refundOrderThroughProvider(db, order.id, t0);
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
    let call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id } });
    expect(call).toMatchObject({ kind: "REFUND", status: "PENDING", attempts: 1, idempotencyNo: `RF${order.id}`, amountFen: 10000, providerTxnId: "SBX1" });

    let now = t0;
    for (let i = 0; i < 3; i++) {
      now = call.nextAttemptAt;
      expect(await performDueProviderCalls(db, new Date(now.getTime() - 1))).toBe(0); // not before its backoff
      await performDueProviderCalls(db, now);
      call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id } });
    }
    expect(call).toMatchObject({ status: "DONE", attempts: 4, lastError: null });
    expect(flaky.refundNos).toEqual([`RF${order.id}`, `RF${order.id}`, `RF${order.id}`, `RF${order.id}`]);
    // Done: nothing more is sent.
    await performDueProviderCalls(db, new Date(now.getTime() + 86_400_000));
    expect(flaky.refundNos).toHaveLength(4);
    expect(await db.auditLog.count({ where: { action: "payment.refund_sent", target: `order:${order.orderNo}` } })).toBe(1);
  });

  it("a crash right after the refund committed: the queued request is sent by the next sweep", async () => {
    const db = database.prisma;
    const flaky = new FlakySandbox(0);
    registerProvider(flaky);
    const order = await paidOrder();
    // refundOrder is the state change alone, as if the process died before calling the provider.
    await inTx(db, { config, now: t0 }, (ctx) => refundOrder(ctx, order.id));
    expect(flaky.refundNos).toEqual([]);
    expect(await performDueProviderCalls(db, t0)).toBe(1);
    expect(flaky.refundNos).toEqual([`RF${order.id}`]);
  });

  it("the refund request and the state change are one transaction: a failed refund queues nothing", async () => {
    const db = database.prisma;
    const order = await paidOrder();
    await expect(
      inTx(db, { config, now: t0 }, async (ctx) => {
        await refundOrder(ctx, order.id);
        throw new Error("crash inside the transaction");
      }),
    ).rejects.toThrow();
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    expect(await db.providerCall.count()).toBe(0);
  });

  it("a provider down for good: dead-lettered after the last attempt, shown to staff, and a retry returns the money", async () => {
    const db = database.prisma;
    const flaky = new FlakySandbox(PROVIDER_MAX_ATTEMPTS);
    registerProvider(flaky);
    const order = await paidOrder();
    await refundOrderThroughProvider(db, order.id, t0);
    let now = t0;
    for (let i = 1; i < PROVIDER_MAX_ATTEMPTS; i++) {
      now = new Date(now.getTime() + backoffMs(i));
      await performDueProviderCalls(db, now);
    }
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id } });
    expect(call).toMatchObject({ status: "DEAD", attempts: PROVIDER_MAX_ATTEMPTS });
    expect(await countFailedJobs(db)).toMatchObject({ providerCalls: 1, total: 1 });
    const staff = await db.staffAccount.create({ data: { username: "fin", displayName: "财务", role: "finance", passwordHash: "x", createdAt: now } });
    await inTx(db, { config, now }, (ctx) => retryFailedJob(ctx, { staffId: staff.id }, { type: "providerCall", id: call.id }));
    expect(await performDueProviderCalls(db, now)).toBe(1);
    expect(flaky.refundNos.every((n) => n === `RF${order.id}`)).toBe(true);
    expect(await countFailedJobs(db)).toMatchObject({ total: 0 });
  });
});

describe("payouts through the outbox", () => {
  it("a provider failing twice: the withdrawal stays PAYING, then is PAID once with the same payout number", async () => {
    const db = database.prisma;
    const flaky = new FlakySandbox(2);
    registerProvider(flaky);
    const member = await verifiedMemberWithBalance();
    const w = await inTx(db, { config, now: t0 }, (ctx) => requestWithdrawal(ctx, member, 100_000));
    expect(await executePayout(db, w.id, "sandbox", t0)).toBe("PAYING");
    expect(await walletOf({ tx: db }, member)).toMatchObject({ available: 400_000, withdrawing: 100_000, withdrawn: 0 });
    const later = new Date(t0.getTime() + 3_600_000);
    expect(await reconcilePayingWithdrawals(db, later)).toBe(0); // second failure
    expect(await reconcilePayingWithdrawals(db, new Date(later.getTime() + 3_600_000))).toBe(1);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
    expect(flaky.payoutNos).toEqual([`WD${w.id}`, `WD${w.id}`, `WD${w.id}`]);
    expect(await walletOf({ tx: db }, member)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    expect(await walletFromLedger({ tx: db }, member)).toEqual(await walletOf({ tx: db }, member));
    // Asked again (a duplicate sweep): nothing moves.
    expect(await reconcilePayingWithdrawals(db, new Date(later.getTime() + 86_400_000))).toBe(0);
    expect(await executePayout(db, w.id, "sandbox", later)).toBe("SKIPPED");
    expect(flaky.payoutNos).toHaveLength(3);
  });

  it("a withdrawal left PAYING without a request (a crash under the old direct call) is reconciled with its payout number", async () => {
    const db = database.prisma;
    const flaky = new FlakySandbox(0);
    registerProvider(flaky);
    const member = await verifiedMemberWithBalance();
    const w = await inTx(db, { config, now: t0 }, (ctx) => requestWithdrawal(ctx, member, 100_000));
    await db.withdrawal.update({ where: { id: w.id }, data: { status: "PAYING" } });
    expect(await reconcilePayingWithdrawals(db, t0)).toBe(1);
    expect(flaky.payoutNos).toEqual([`WD${w.id}`]);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
  });

  it("a payout the provider refuses returns the money to available, once", async () => {
    const db = database.prisma;
    const member = await verifiedMemberWithBalance("测试失败");
    const w = await inTx(db, { config, now: t0 }, (ctx) => requestWithdrawal(ctx, member, 100_000));
    expect(await executePayout(db, w.id, "sandbox", t0)).toBe("FAILED");
    expect(await walletOf({ tx: db }, member)).toMatchObject({ available: 500_000, withdrawing: 0, withdrawn: 0 });
    expect(await db.providerCall.findFirstOrThrow({ where: { withdrawalId: w.id } })).toMatchObject({ status: "DONE" });
  });
});
