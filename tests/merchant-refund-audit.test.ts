// The back office's 退款 (merchantOrder.refund): the refund and its entry naming the staff member who did it commit
// together — never a refund standing without a record of who made it — and the provider, asked after commit, failing
// there is not the staff member's error: the refund stands, its call stays queued for the retry sweep.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../server/db";
import { inTx, type Ctx } from "../server/context";
import { parseConfig } from "../server/config/schema";
import { registerMember } from "../server/referral";
import { createOrder, confirmPayment } from "../server/orders";
import { merchantRefundOrder } from "../server/orders/actions";
import { performDueProviderCalls } from "../server/payments/calls";
import { createSimpleProduct } from "../server/catalog/admin";
import { freshDatabase } from "./helpers/db";

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
let database: Database;
let staffId: number;
const run = <T,>(fn: (ctx: Ctx) => Promise<T>) => inTx(database.prisma, { config, now: t0 }, fn);
const outcome = (p: Promise<unknown>) => p.then((v) => v, (e: Error) => `failed: ${e.message.slice(0, 80)}`);

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await run(async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10_000, category: "tea", stock: 10 });
  });
  staffId = (await database.prisma.staffAccount.create({ data: { username: "ops", displayName: "ops", role: "operator", passwordHash: "x", createdAt: t0 } })).id;
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

/** A 100 元 tea paid through the sandbox at t0. */
async function paidOrder() {
  const buyer = await run((ctx) => registerMember(ctx, { username: "buyer" }));
  const order = await run((ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
  await run((ctx) => confirmPayment(ctx, { orderId: order.id, provider: "sandbox", providerTxnId: "SBX1", amountFen: order.payableFen, currency: "CNY" }));
  return order;
}

/** Makes the database refuse a statement: `table` rows matching `when` (a trigger condition on NEW) raise an error. */
async function refuse(table: string, op: "INSERT" | "UPDATE", when: string) {
  await database.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_row() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END; $$ LANGUAGE plpgsql`);
  await database.prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_row BEFORE ${op} ON "${table}" FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION refuse_row()`);
  return () => database.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_row ON "${table}"`);
}

const entries = (orderNo: string) => database.prisma.auditLog.findMany({ where: { action: "order.refund.merchant", target: `order:${orderNo}` } });

describe("the back office's refund", () => {
  it("is not made when its entry cannot be written: the order stays paid, nothing is asked of the provider", async () => {
    const order = await paidOrder();
    await refuse("AuditLog", "INSERT", `NEW.action = 'order.refund.merchant'`);
    expect(await outcome(merchantRefundOrder(database.prisma, t0, { staffId, requestId: "req-1" }, order.id))).toMatch(/^failed: /);
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    expect(await database.prisma.payment.findMany({ where: { orderId: order.id }, select: { status: true } })).toEqual([{ status: "PAID" }]);
    expect(await database.prisma.providerCall.count({ where: { orderId: order.id } })).toBe(0);
    expect(await database.prisma.notification.count({ where: { kind: "refund" } })).toBe(0);
  });

  it("answers the refund made when recording the provider's answer fails after commit; the entry names the staff member; the sweep finishes the call", async () => {
    const order = await paidOrder();
    // The provider is asked, but neither its answer nor the attempt's failure can be recorded on the call.
    const allow = await refuse("ProviderCall", "UPDATE", "true");
    expect(await outcome(merchantRefundOrder(database.prisma, t0, { staffId, requestId: "req-2" }, order.id))).toEqual({ refunded: true });
    expect((await database.prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
    const [entry, ...more] = await entries(order.orderNo);
    expect(more).toEqual([]);
    expect([entry!.actorType, entry!.actorId, entry!.requestId, entry!.before, entry!.after]).toEqual(["staff", staffId, "req-2", { status: "PAID" }, { result: { refunded: true } }]);
    expect(entry!.createdAt).toEqual(t0);
    // Still queued, due now: the retry sweep asks again under the same refund number.
    const call = await database.prisma.providerCall.findFirstOrThrow({ where: { orderId: order.id, kind: "REFUND" } });
    expect(call).toMatchObject({ status: "PENDING", attempts: 0, idempotencyNo: `RF${order.id}` });
    await allow();
    expect(await performDueProviderCalls(database.prisma, t0)).toBe(1);
    expect(await database.prisma.providerCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ status: "DONE" });
  });
});
