// What finance staff read on a failed refund or payout call (打款对账, failed jobs): the provider's own failure
// (an API error code, a connection error, the adapter's message), or for a failure of ours only a fixed
// text with the call's number; the error itself is in the server log, without the query's personal data.
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { refundOrderThroughProvider, registerProvider } from "../../server/payments";
import { SandboxProvider } from "../../server/payments/sandbox";
import type { CreatePaymentRequest, PaymentProvider } from "../../server/payments/provider";
import { performDueProviderCalls, performProviderCall } from "../../server/payments/calls";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

/** The sandbox, whose refunds fail with the given errors, one per attempt, then succeed. */
class FailingRefunds implements PaymentProvider {
  readonly name = "sandbox";
  private readonly real = new SandboxProvider();
  constructor(private readonly errors: unknown[]) {}
  createPayment(req: CreatePaymentRequest) {
    return this.real.createPayment(req);
  }
  verifyNotification(rawBody: string, headers: Headers, receivedAt: Date) {
    return this.real.verifyNotification(rawBody, headers, receivedAt);
  }
  async refund() {
    const e = this.errors.shift();
    if (e) throw e;
    return this.real.refund();
  }
  payout() {
    return this.real.payout({ payoutNo: "", amountFen: 0, realName: "" });
  }
}

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let errors: MockInstance<typeof console.error>;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config, now: t0 }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "tea", stock: 10 });
  });
  vi.spyOn(console, "warn").mockImplementation(() => {});
  errors = vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  registerProvider(new SandboxProvider());
  vi.restoreAllMocks();
  await database.close();
});

/** A paid order refunded at t0: its refund call made its first attempt. */
async function refundedOrder() {
  const db = database.prisma;
  const buyer = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "buyer" }));
  const order = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
  await inTx(db, { config, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "SBX1", amountFen: order.payableFen, currency: "CNY" }));
  await refundOrderThroughProvider(db, order.id, t0);
  return order;
}

const callOf = (orderId: number) => database.prisma.providerCall.findFirstOrThrow({ where: { orderId } });

describe("a failed provider call's lastError", () => {
  it("is the provider's own failure: its API error code, a connection error, the adapter's message", async () => {
    registerProvider(
      new FailingRefunds([
        // WeChat Pay through axios: the answer's body names the error.
        Object.assign(new Error("Request failed with status code 403"), { code: "ERR_BAD_REQUEST", response: { status: 403, data: { code: "NOT_ENOUGH", message: "基本账户余额不足" } } }),
        Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" }),
        new Error("alipay.trade.refund 40004 ACQ.TRADE_HAS_CLOSE"),
      ]),
    );
    const order = await refundedOrder();
    const seen: (string | null)[] = [];
    for (let i = 0; i < 3; i++) {
      const call = await callOf(order.id);
      seen.push(call.lastError);
      await performDueProviderCalls(database.prisma, call.nextAttemptAt);
    }
    expect(seen).toEqual(["支付渠道报错：NOT_ENOUGH 基本账户余额不足", "无法连接支付渠道（ECONNREFUSED）", "支付渠道报错：alipay.trade.refund 40004 ACQ.TRADE_HAS_CLOSE"]);
    expect(await callOf(order.id)).toMatchObject({ status: "DONE", lastError: null });
    expect(errors).not.toHaveBeenCalled();
  });

  it("is a fixed text with the call's number when our side failed (a database error); the log has the error, not its personal data", async () => {
    registerProvider(new FailingRefunds([]));
    // The refund is sent; recording it fails in the database, with a phone number in the error's text.
    await database.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_audit() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'audit row for 13800009999 refused'; END; $$ LANGUAGE plpgsql`);
    await database.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_audit BEFORE INSERT ON "AuditLog" FOR EACH ROW WHEN (NEW.action = 'payment.refund_sent') EXECUTE FUNCTION refuse_audit()`,
    );
    const order = await refundedOrder();
    const call = await callOf(order.id);
    expect(call).toMatchObject({ status: "PENDING", attempts: 1, lastError: `内部错误（详见服务器日志，编号 ${call.id}）` });
    const log = errors.mock.calls.map((c) => c.join(" ")).join("\n");
    expect(log).toContain(`provider call ${call.id}`);
    expect(log).not.toContain("13800009999");
  });
});

describe("a call backing off after a failure", () => {
  it("is not asked again before its next attempt, even by a sweep that listed it as due a moment earlier", async () => {
    const refunds = new FailingRefunds([Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), { code: "ECONNREFUSED" })]);
    const asked = vi.spyOn(refunds, "refund");
    registerProvider(refunds);
    const order = await refundedOrder();
    // The first attempt failed at t0: the call waits until its next attempt.
    const call = await callOf(order.id);
    expect(call).toMatchObject({ status: "PENDING", attempts: 1 });
    expect(call.nextAttemptAt.getTime()).toBeGreaterThan(t0.getTime());
    expect(asked).toHaveBeenCalledTimes(1);
    // A second sweep that had listed the call before the failure was recorded claims it now: not yet due, so not asked.
    expect(await performProviderCall(database.prisma, call.id, new Date(call.nextAttemptAt.getTime() - 1))).toBe("SKIPPED");
    expect(asked).toHaveBeenCalledTimes(1);
    // At its next attempt it is asked, and succeeds.
    expect(await performProviderCall(database.prisma, call.id, call.nextAttemptAt)).toBe("DONE");
    expect(asked).toHaveBeenCalledTimes(2);
  });
});
