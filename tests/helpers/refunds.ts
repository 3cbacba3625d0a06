// The refund tests' bed: a shop with one 100 元 tea, an owner account, and a scripted provider in the sandbox's
// place whose refunds fail, are accepted as PROCESSING or succeed at once, and whose refund query answers as told.
import { afterEach, beforeEach, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx, type Ctx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { CREDIT_ONLY, registerProvider } from "../../server/payments";
import { SandboxProvider } from "../../server/payments/sandbox";
import type { CreatePaymentRequest, PaymentProvider, RefundNotification, RefundResult } from "../../server/payments/provider";
import { fromMerchant } from "../../server/wallet/ledger";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "./db";

/** The provider as a script: its refunds fail, are accepted as PROCESSING, or succeed at once; its query answers `queryAnswer`. */
export class ScriptedRefunds implements PaymentProvider {
  readonly name = "sandbox";
  private readonly real = new SandboxProvider();
  refunds: "failing" | "processing" | "success" = "processing";
  queryAnswer: RefundNotification["status"] | null = null;
  createPayment(req: CreatePaymentRequest) {
    return this.real.createPayment(req);
  }
  verifyNotification(rawBody: string) {
    return JSON.parse(rawBody) as ReturnType<PaymentProvider["verifyNotification"]>;
  }
  async refund(): Promise<RefundResult> {
    if (this.refunds === "failing") throw Object.assign(new Error("Request failed with status code 403"), { response: { status: 403, data: { code: "NOT_ENOUGH", message: "基本账户余额不足" } } });
    return { status: this.refunds === "success" ? "SUCCESS" : "PROCESSING" };
  }
  async queryRefund(req: { refundNo: string; providerTxnId: string }) {
    return this.queryAnswer ? { kind: "refund" as const, refundNo: req.refundNo, providerTxnId: req.providerTxnId, refundFen: 10_000, status: this.queryAnswer } : null;
  }
  payout() {
    return this.real.payout({ payoutNo: "", amountFen: 0, realName: "" });
  }
}

export const REFUND_CONFIG = parseConfig({});
export const T0 = new Date("2026-03-10T02:00:00Z");

/** Sets the bed up before each test of the file (and takes it down after); its fields are the current test's. */
export function refundBed() {
  const bed = {
    database: undefined as unknown as Database,
    provider: undefined as unknown as ScriptedRefunds,
    staffId: 0,
    run<T>(fn: (ctx: Ctx) => Promise<T>, now = T0): Promise<T> {
      return inTx(bed.database.prisma, { config: REFUND_CONFIG, now }, fn);
    },
    /** A 100 元 tea paid at T0 through the provider (transaction SBX1), or (`credit`) wholly with store credit. */
    async paidOrder(credit = false) {
      const buyer = await bed.run((ctx) => registerMember(ctx, { username: "buyer" }));
      if (credit) await bed.run((ctx) => fromMerchant(ctx, "gift", "test", "merchant:adjustment", buyer.id, "credit", 10_000));
      const order = await bed.run((ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }], creditFen: credit ? 10_000 : 0 }));
      const payment = credit ? { provider: CREDIT_ONLY, providerTxnId: `credit-${order.id}`, amountFen: 0 } : { provider: "sandbox", providerTxnId: "SBX1", amountFen: order.payableFen };
      await bed.run((ctx) => confirmPayment(ctx, { orderId: order.id, currency: "CNY", ...payment }));
      return { memberId: buyer.id, order, orderId: order.id, orderNo: order.orderNo };
    },
    /** The order's refund call to the provider. */
    callOf(orderId: number) {
      return bed.database.prisma.providerCall.findFirstOrThrow({ where: { orderId, kind: "REFUND" } });
    },
  };
  beforeEach(async () => {
    bed.database = await freshDatabase();
    await bed.database.prisma.mallConfig.create({ data: { data: REFUND_CONFIG as object } });
    await bed.run(async (ctx) => {
      await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
      await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 10 });
    });
    bed.staffId = (await bed.database.prisma.staffAccount.create({ data: { username: "ops", displayName: "ops", role: "owner", passwordHash: "x", createdAt: T0 } })).id;
    bed.provider = new ScriptedRefunds();
    registerProvider(bed.provider);
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
  });
  afterEach(async () => {
    registerProvider(new SandboxProvider());
    vi.restoreAllMocks();
    await bed.database.close();
  });
  return bed;
}
