// A provider call's transaction is not rerun when PostgreSQL aborts it as a deadlock victim after the provider
// answered: rerunning it would ask the provider a second time in the same attempt. The abort is recorded as a
// failed attempt; the call stays PENDING and is asked again, under the same number, at its next attempt.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Database } from "../../server/db";
import { inTx } from "../../server/context";
import { parseConfig } from "../../server/config/schema";
import { registerMember } from "../../server/referral";
import { createOrder, confirmPayment } from "../../server/orders";
import { fromMerchant, walletOf, walletFromLedger } from "../../server/wallet/ledger";
import { verifyIdentity } from "../../server/wallet/identity";
import { requestWithdrawal, executePayout } from "../../server/wallet/withdrawals";
import { refundOrderThroughProvider, registerProvider } from "../../server/payments";
import type { PaymentProvider, PayoutRequest } from "../../server/payments/provider";
import { performProviderCall } from "../../server/payments/calls";
import { backoffMs } from "../../server/scheduler";
import { createSimpleProduct } from "../../server/catalog/admin";
import { freshDatabase } from "../helpers/db";

const STUB = "deadlock-stub";

/** A provider that always succeeds and records every number it was asked. */
class CountingProvider implements PaymentProvider {
  readonly name = STUB;
  refundNos: string[] = [];
  payoutNos: string[] = [];
  createPayment(): never {
    throw new Error("not used");
  }
  verifyNotification(): never {
    throw new Error("not used");
  }
  async refund(req: { refundNo: string }) {
    this.refundNos.push(req.refundNo);
    return { status: "SUCCESS" as const };
  }
  async payout(req: PayoutRequest) {
    this.payoutNos.push(req.payoutNo);
    return { status: "SUCCESS" as const };
  }
}

const config = parseConfig({});
const t0 = new Date("2026-03-10T02:00:00Z");
const VALID_ID = "11010519491231002X";
let database: Database;
let stub: CountingProvider;

beforeEach(async () => {
  database = await freshDatabase();
  await database.prisma.mallConfig.create({ data: { data: config as object } });
  await inTx(database.prisma, { config, now: t0 }, async (ctx) => {
    await ctx.tx.category.create({ data: { slug: "tea", name: "茶" } });
    await createSimpleProduct(ctx.tx, { sku: "tea", name: "茶", priceFen: 10000, category: "tea", stock: 10 });
  });
  stub = new CountingProvider();
  registerProvider(stub);
  vi.spyOn(console, "warn").mockImplementation(() => {});
  vi.spyOn(console, "error").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await database.close();
});

/** The first row written to `table` that matches `when` aborts its transaction as a deadlock victim (40P01); later ones pass. */
async function deadlockOnce(trigger: string) {
  const db = database.prisma;
  // A sequence, not a table: its count survives the aborted transaction's rollback.
  await db.$executeRawUnsafe(`CREATE SEQUENCE deadlock_once_seq`);
  await db.$executeRawUnsafe(`CREATE FUNCTION deadlock_once() RETURNS trigger AS $$
    BEGIN
      IF nextval('deadlock_once_seq') = 1 THEN RAISE EXCEPTION 'deadlock detected' USING ERRCODE = '40P01'; END IF;
      RETURN NEW;
    END; $$ LANGUAGE plpgsql`);
  await db.$executeRawUnsafe(trigger);
}

const deadlocks = async () => (await database.prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT last_value AS n FROM deadlock_once_seq`))[0]!.n;

describe("a deadlock after the provider answered", () => {
  it("a refund: asked once in the attempt, the call left PENDING, then done once with the same refund number", async () => {
    const db = database.prisma;
    // The refund's audit entry, written after the provider's answer, is the deadlock victim once.
    await deadlockOnce(`CREATE TRIGGER deadlock_once BEFORE INSERT ON "AuditLog" FOR EACH ROW WHEN (NEW.action = 'payment.refund_sent') EXECUTE FUNCTION deadlock_once()`);
    const buyer = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "buyer" }));
    const order = await inTx(db, { config, now: t0 }, (ctx) => createOrder(ctx, { memberId: buyer.id, lines: [{ sku: "tea", qty: 1 }] }));
    await inTx(db, { config, now: t0 }, (ctx) => confirmPayment(ctx, { orderId: order.id, provider: STUB, providerTxnId: "STUB1", amountFen: order.payableFen, currency: "CNY" }));

    await refundOrderThroughProvider(db, order.id, t0);
    expect(stub.refundNos).toEqual([`RF${order.id}`]);
    expect(await deadlocks()).toBe(1n);
    const call = await db.providerCall.findFirstOrThrow({ where: { orderId: order.id } });
    expect(call).toMatchObject({ kind: "REFUND", provider: STUB, status: "PENDING", attempts: 1, lastError: `内部错误（详见服务器日志，编号 ${call.id}）` });
    expect(call.nextAttemptAt).toEqual(new Date(t0.getTime() + backoffMs(1)));
    // Nothing of the aborted attempt was kept.
    expect(await db.auditLog.count({ where: { action: "payment.refund_sent" } })).toBe(0);
    expect(await db.notification.count({ where: { key: "order.refundDone" } })).toBe(0);

    expect(await performProviderCall(db, call.id, call.nextAttemptAt)).toBe("DONE");
    expect(stub.refundNos).toEqual([`RF${order.id}`, `RF${order.id}`]);
    expect(await db.providerCall.findUniqueOrThrow({ where: { id: call.id } })).toMatchObject({ status: "DONE", attempts: 2, lastError: null });
    expect(await db.auditLog.count({ where: { action: "payment.refund_sent" } })).toBe(1);
    expect(await db.notification.count({ where: { memberId: buyer.id, key: "order.refundDone" } })).toBe(1);
  });

  it("a payout: asked once in the attempt, the withdrawal stays PAYING, then is PAID once with the same payout number", async () => {
    const db = database.prisma;
    // applyPayoutResult's update of the withdrawal to PAID is the deadlock victim once.
    await deadlockOnce(`CREATE TRIGGER deadlock_once BEFORE UPDATE ON "Withdrawal" FOR EACH ROW WHEN (NEW.status = 'PAID') EXECUTE FUNCTION deadlock_once()`);
    const m = await inTx(db, { config, now: t0 }, (ctx) => registerMember(ctx, { username: "earner" }));
    await inTx(db, { config, now: t0 }, (ctx) => verifyIdentity(ctx, m.id, { realName: "张三丰", idNumber: VALID_ID }));
    await inTx(db, { config, now: t0 }, (ctx) => fromMerchant(ctx, "fund", "test", "merchant:commission", m.id, "available", 500_000));
    const w = await inTx(db, { config, now: t0 }, (ctx) => requestWithdrawal(ctx, m.id, 100_000));

    expect(await executePayout(db, w.id, STUB, t0)).toBe("PAYING");
    expect(stub.payoutNos).toEqual([`WD${w.id}`]);
    expect(await deadlocks()).toBe(1n);
    const call = await db.providerCall.findFirstOrThrow({ where: { withdrawalId: w.id } });
    expect(call).toMatchObject({ kind: "PAYOUT", status: "PENDING", attempts: 1 });
    expect(call.nextAttemptAt).toEqual(new Date(t0.getTime() + backoffMs(1)));
    expect(await walletOf({ tx: db }, m.id)).toMatchObject({ available: 400_000, withdrawing: 100_000, withdrawn: 0 });

    expect(await performProviderCall(db, call.id, call.nextAttemptAt)).toBe("DONE");
    expect(stub.payoutNos).toEqual([`WD${w.id}`, `WD${w.id}`]);
    expect((await db.withdrawal.findUniqueOrThrow({ where: { id: w.id } })).status).toBe("PAID");
    expect(await walletOf({ tx: db }, m.id)).toMatchObject({ available: 400_000, withdrawing: 0, withdrawn: 100_000 });
    expect(await walletFromLedger({ tx: db }, m.id)).toEqual(await walletOf({ tx: db }, m.id));
    expect(await db.notification.count({ where: { memberId: m.id, key: "withdrawal.paid" } })).toBe(1);
  });
});
